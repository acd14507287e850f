package dev.bulwark.social.guild;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.bulwark.social.guild.Guilds.Member;
import dev.bulwark.social.guild.Guilds.Role;

/**
 * Who may do what in a guild, apart from storage: each rule takes the roles and counts read
 * under the guild's lock and refuses with a {@link GuildRefusal}, or says what happens. A
 * {@code null} role is someone with no place in the guild.
 */
final class GuildRules {

    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} _'-]{1,30}[\\p{L}\\p{N}]");

    /** What a promotion does to the target. */
    enum Promotion {
        /** A member becomes an officer. */
        TO_OFFICER,
        /** An officer becomes leader, and the leader an officer. */
        HAND_OVER
    }

    private GuildRules() {
    }

    /** 3 to 32 letters, digits, spaces, {@code _ ' -}, starting and ending with a letter or digit. */
    static boolean isValidName(String name) {
        return NAME.matcher(name).matches();
    }

    /** Leaders and officers manage; a join request is not membership. Returns the actor's role. */
    static Role requireManager(Role actor) {
        if (actor == null || !actor.manages()) {
            throw GuildRefusal.forbidden("Only the guild's leader and officers can do this");
        }
        return actor;
    }

    static void requireLeader(Role actor) {
        if (actor != Role.LEADER) {
            throw GuildRefusal.forbidden("Only the guild's leader can do this");
        }
    }

    /**
     * A manager makes a member an officer; only the leader hands leadership to an officer. The
     * target's role decides, so an officer promoting an officer is refused, never a quiet
     * leadership change.
     */
    static Promotion promotion(Role actor, Role target) {
        requireManager(actor);
        return switch (target) {
            case MEMBER -> Promotion.TO_OFFICER;
            case OFFICER -> {
                if (actor != Role.LEADER) {
                    throw GuildRefusal.forbidden("Only the guild's leader can hand over leadership");
                }
                yield Promotion.HAND_OVER;
            }
            default -> throw new GuildRefusal(GuildRefusal.Reason.CANNOT_PROMOTE,
                    "Only a member or an officer can be promoted");
        };
    }

    /** The leader demotes any officer, an officer only themselves (stepping down). */
    static void checkDemotion(Role actor, Role target, boolean self) {
        requireManager(actor);
        if (target != Role.OFFICER) {
            throw new GuildRefusal(GuildRefusal.Reason.CANNOT_DEMOTE, "Only an officer can be demoted");
        }
        if (actor != Role.LEADER && !self) {
            throw GuildRefusal.forbidden("An officer can step down, but only the leader demotes other officers");
        }
    }

    /**
     * Anyone may leave ({@code actor} is then null and unchecked); the leader removes anyone, an
     * officer only members and join requests.
     */
    static void checkRemoval(Role actor, Role target) {
        if (actor == Role.OFFICER && target.manages()) {
            throw GuildRefusal.forbidden("An officer can remove members and join requests, not the leader or officers");
        }
    }

    /** One guild per player: a player in a guild neither joins nor is admitted to another. */
    static void requireGuildless(boolean inAGuild) {
        if (inAGuild) {
            throw GuildRefusal.alreadyInAGuild();
        }
    }

    /** Admitting one more needs a free place under the cap. */
    static void requireRoom(int members, int maxMembers) {
        if (members >= maxMembers) {
            throw new GuildRefusal(GuildRefusal.Reason.GUILD_FULL, "The guild has no free place");
        }
    }

    /** The cap never goes below the members the guild already has. */
    static void checkCap(Integer maxMembers, int members) {
        if (maxMembers != null && maxMembers < members) {
            throw new GuildRefusal(GuildRefusal.Reason.CAP_BELOW_MEMBERS,
                    "The guild already has more members than " + maxMembers);
        }
    }

    /**
     * Who leads when the leader leaves: the oldest officer, else the oldest member; nobody (the
     * guild dissolves) when none is left. {@code remaining} is in order of joining.
     */
    static Optional<UUID> successor(List<Member> remaining) {
        return remaining.stream().filter(m -> m.role() == Role.OFFICER).findFirst()
                .or(() -> remaining.stream().filter(m -> m.role() == Role.MEMBER).findFirst())
                .map(Member::playerId);
    }
}
