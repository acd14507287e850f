package dev.bulwark.player.account;

import java.util.OptionalLong;

import dev.bulwark.platform.refusal.Refusal;

/** Why a sign-in (login, client credentials) was refused; the web edge turns it into a problem. */
public final class SignInRefusal extends Refusal {

    public enum Reason {
        BAD_CREDENTIALS, BAD_CLIENT_CREDENTIALS, BANNED, TOO_MANY_LOGIN_ATTEMPTS
    }

    private final Reason reason;
    private final OptionalLong retryAfterSeconds;

    private SignInRefusal(Reason reason, String detail, OptionalLong retryAfterSeconds) {
        super(reason, detail);
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    SignInRefusal(Reason reason, String detail) {
        this(reason, detail, OptionalLong.empty());
    }

    static SignInRefusal throttled(String detail, long retryAfterSeconds) {
        return new SignInRefusal(Reason.TOO_MANY_LOGIN_ATTEMPTS, detail, OptionalLong.of(retryAfterSeconds));
    }

    public Reason reason() {
        return reason;
    }

    /** When a throttled caller may try again, in whole seconds. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
