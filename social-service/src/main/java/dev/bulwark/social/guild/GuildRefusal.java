package dev.bulwark.social.guild;

import dev.bulwark.platform.refusal.Refusal;

/** Why a guild action was refused; the web edge turns it into a problem. */
public final class GuildRefusal extends Refusal {

    public enum Reason {
        /** The guild, the member or the join request does not exist. */
        NOT_FOUND,
        /** The actor's role does not allow this. */
        FORBIDDEN,
        CANNOT_PROMOTE,
        CANNOT_DEMOTE,
        ALREADY_IN_A_GUILD,
        GUILD_FULL,
        CAP_BELOW_MEMBERS
    }

    private final Reason reason;

    GuildRefusal(Reason reason, String detail) {
        super(reason, detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    static GuildRefusal notFound(String what) {
        return new GuildRefusal(Reason.NOT_FOUND, what + " not found");
    }

    static GuildRefusal forbidden(String detail) {
        return new GuildRefusal(Reason.FORBIDDEN, detail);
    }

    static GuildRefusal alreadyInAGuild() {
        return new GuildRefusal(Reason.ALREADY_IN_A_GUILD, "The player is already a member of a guild");
    }
}
