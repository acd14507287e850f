package dev.bulwark.social.notification;

import dev.bulwark.platform.refusal.Refusal;

/** Why a notification action was refused; the web edge turns it into a problem. */
public final class NotificationRefusal extends Refusal {

    public enum Reason {
        /** The player has no such notification. */
        NOT_FOUND,
        /** A cursor this service did not give, or an empty operator message. */
        INVALID_REQUEST
    }

    private final Reason reason;

    NotificationRefusal(Reason reason, String detail) {
        super(reason, detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
