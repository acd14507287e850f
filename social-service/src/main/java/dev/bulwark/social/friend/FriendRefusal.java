package dev.bulwark.social.friend;

import dev.bulwark.platform.refusal.Refusal;

/** Why a friend transition was refused; the web edge turns it into a problem. */
public final class FriendRefusal extends Refusal {

    public enum Reason {
        SELF_RELATION, NOT_FOUND, BLOCKED, NO_INVITATION
    }

    private final Reason reason;

    FriendRefusal(Reason reason, String detail) {
        super(reason, detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    static FriendRefusal notFound(String what) {
        return new FriendRefusal(Reason.NOT_FOUND, what + " not found");
    }

    static FriendRefusal blocked(String detail) {
        return new FriendRefusal(Reason.BLOCKED, detail);
    }
}
