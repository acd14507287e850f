package dev.bulwark.social.chat;

import dev.bulwark.platform.refusal.Refusal;

/** Why a chat action was refused; the web edge turns it into a problem. */
public final class ChatRefusal extends Refusal {

    public enum Reason {
        /** The guild does not exist. */
        NOT_FOUND, NOT_A_MEMBER, INVALID_MESSAGE
    }

    private final Reason reason;

    ChatRefusal(Reason reason, String detail) {
        super(reason, detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    static ChatRefusal guildNotFound() {
        return new ChatRefusal(Reason.NOT_FOUND, "Guild not found");
    }
}
