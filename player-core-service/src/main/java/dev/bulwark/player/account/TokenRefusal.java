package dev.bulwark.player.account;

import dev.bulwark.platform.refusal.Refusal;

/**
 * Why a refresh token was refused. Thrown with the transaction still to commit (refresh is
 * {@code noRollbackFor} it): a reused token's family and a banned player's tokens stay revoked.
 */
public final class TokenRefusal extends Refusal {

    public enum Reason {
        INVALID_REFRESH_TOKEN, REVOKED_REFRESH_TOKEN, REUSED_REFRESH_TOKEN, EXPIRED_REFRESH_TOKEN, BANNED
    }

    private final Reason reason;

    TokenRefusal(Reason reason, String detail) {
        super(reason, detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
