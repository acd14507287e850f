package dev.bulwark.social.guild;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import java.util.function.Supplier;

import org.springframework.stereotype.Service;

import dev.bulwark.platform.shard.CrossShardWork.Part;
import dev.bulwark.platform.shard.ShardUnit;
import dev.bulwark.social.guild.GuildRules.Promotion;
import dev.bulwark.social.guild.GuildStore.Locked;
import dev.bulwark.social.shard.SocialShards;

/**
 * Guilds and their members. A guild's rows live on its shard (by guild key); each player's guild
 * index on the player's shard. Every membership change first locks the guild's row, so changes to
 * one guild are serialised: the member cap is counted under that lock and holds however many
 * players join at once. An admission writes the guild's member row and the player's index in one
 * transaction (the platform's two-phase commit when the shards differ); the index's key is the
 * one-guild-per-player rule across every shard and settles a player joining two guilds at the
 * same moment. Who may do what is {@link GuildRules}; the tables are {@link GuildStore}; what
 * others hear is {@link GuildEvents}.
 */
@Service
public class Guilds {

    public enum Role {
        LEADER, OFFICER, MEMBER, JOIN_REQUEST;

        boolean manages() {
            return this == LEADER || this == OFFICER;
        }
    }

    public record Member(UUID playerId, Role role, Instant since) {
    }

    public record GuildView(UUID guildId, String name, UUID leaderId, boolean open, int maxMembers,
            List<Member> members, long version) {
    }

    /** @param role never JOIN_REQUEST: a pending request is not membership */
    public record Membership(UUID guildId, String name, Role role) {
    }

    private final GuildStore store;
    private final GuildEvents events;
    private final SocialShards shards;

    Guilds(GuildStore store, GuildEvents events, SocialShards shards) {
        this.store = store;
        this.events = events;
        this.shards = shards;
    }

    public Optional<GuildView> find(UUID guildId) {
        return onGuild(guildId, () -> store.find(guildId));
    }

    /** By the name directory; a name whose guild dissolved finds nothing. */
    public Optional<GuildView> findByName(String name) {
        return shards.primary().guarded(() -> store.idByName(name.strip())).flatMap(this::find);
    }

    public Optional<Membership> guildOf(UUID player) {
        return shards.forPlayer(player).guarded(() -> store.indexedGuild(player))
                .flatMap(guildId -> onGuild(guildId, () -> store.guildOf(player)));
    }

    /** The player's role in the guild, if they are a member (a join request is not membership). */
    public Optional<Role> roleOf(UUID guildId, UUID player) {
        return onGuild(guildId, () -> store.role(guildId, player)).filter(role -> role != Role.JOIN_REQUEST);
    }

    /** The guild's members (not its join requests); empty when the guild does not exist. */
    public Set<UUID> memberIds(UUID guildId) {
        return onGuild(guildId, () -> store.memberIds(guildId));
    }

    /** What a join did, told by the guild's part to the player's part (they run in this order). */
    private static final class Admission {
        Member member;
        boolean admitted;
        boolean requested;
    }

    /** Joins an open guild, or files a join request with a closed one. */
    public Member join(UUID guildId, UUID player) {
        Admission admission = new Admission();
        ShardUnit guildShard = shards.forGuild(guildId);
        shards.atomically(List.of(new Part(guildShard, () -> {
            Locked guild = store.lock(guildId);
            if (store.role(guildId, player).isPresent()) {
                admission.member = store.member(guildId, player);
                return;
            }
            GuildRules.requireGuildless(store.indexedGuild(player).isPresent());
            if (!guild.open()) {
                store.addJoinRequest(guildId, player);
                store.bumpVersion(guildId);
                admission.requested = true;
            } else {
                GuildRules.requireRoom(store.memberCount(guildId), guild.maxMembers());
                admit(guildId, player, Role.MEMBER);
                admission.admitted = true;
            }
            admission.member = store.member(guildId, player);
        }), new Part(shards.forPlayer(player), () -> claim(admission, player, guildId))));
        afterAdmission(admission, player, guildShard);
        return admission.member;
    }

    /** A leader or officer admits a player who asked to join, within the cap. */
    public Member approve(UUID guildId, UUID actor, UUID player) {
        Admission admission = new Admission();
        ShardUnit guildShard = shards.forGuild(guildId);
        shards.atomically(List.of(new Part(guildShard, () -> {
            Locked guild = store.lock(guildId);
            GuildRules.requireManager(actorRole(guildId, actor));
            if (store.role(guildId, player).orElse(null) != Role.JOIN_REQUEST) {
                throw GuildRefusal.notFound("Join request");
            }
            GuildRules.requireGuildless(store.indexedGuild(player).isPresent());
            GuildRules.requireRoom(store.memberCount(guildId), guild.maxMembers());
            admit(guildId, player, Role.MEMBER);
            admission.admitted = true;
            admission.member = store.member(guildId, player);
        }), new Part(shards.forPlayer(player), () -> claim(admission, player, guildId))));
        afterAdmission(admission, player, guildShard);
        return admission.member;
    }

    /**
     * The player's part of an admission: the index row, whose key refuses a second guild however
     * the shards lie. A request only checks (under the index row's lock, should one be written now).
     */
    private void claim(Admission admission, UUID player, UUID guildId) {
        if (admission.admitted) {
            store.claimPlayer(player, guildId);
        } else if (admission.requested) {
            GuildRules.requireGuildless(store.indexedGuild(player).isPresent());
        }
    }

    private void afterAdmission(Admission admission, UUID player, ShardUnit guildShard) {
        if (admission.admitted) {
            store.withdrawRequestsElsewhere(player, guildShard);
        }
    }

    /** Member to officer, or (by the leader) officer to leader, the leader becoming an officer. */
    public Member promote(UUID guildId, UUID actor, UUID player) {
        return shards.forGuild(guildId).inTransaction(() -> {
            store.lock(guildId);
            Role actorRole = GuildRules.requireManager(actorRole(guildId, actor));
            Role role = store.role(guildId, player).orElseThrow(() -> GuildRefusal.notFound("Member"));
            if (GuildRules.promotion(actorRole, role) == Promotion.HAND_OVER) {
                changeRole(guildId, actor, Role.OFFICER);
                changeRole(guildId, player, Role.LEADER);
                store.setLeader(guildId, player);
            } else {
                changeRole(guildId, player, Role.OFFICER);
            }
            store.bumpVersion(guildId);
            return store.member(guildId, player);
        });
    }

    /** Makes an officer a plain member again: by the leader, or by the officer stepping down. */
    public Member demote(UUID guildId, UUID actor, UUID player) {
        return shards.forGuild(guildId).inTransaction(() -> {
            store.lock(guildId);
            Role actorRole = GuildRules.requireManager(actorRole(guildId, actor));
            Role role = store.role(guildId, player).orElseThrow(() -> GuildRefusal.notFound("Member"));
            GuildRules.checkDemotion(actorRole, role, actor.equals(player));
            changeRole(guildId, player, Role.MEMBER);
            store.bumpVersion(guildId);
            return store.member(guildId, player);
        });
    }

    /**
     * A player leaves (or withdraws a join request), or a leader or officer removes someone. When
     * the leader leaves, {@link GuildRules#successor} leads; the last member leaving dissolves the
     * guild (its name's claim then lapses). The player's index goes in the same transaction.
     */
    public void remove(UUID guildId, UUID actor, UUID player) {
        Role[] removed = new Role[1];
        shards.atomically(List.of(new Part(shards.forGuild(guildId), () -> {
            store.lock(guildId);
            boolean leaving = actor.equals(player);
            Role actorRole = leaving ? null : GuildRules.requireManager(actorRole(guildId, actor));
            Role role = store.role(guildId, player).orElseThrow(() -> GuildRefusal.notFound("Member"));
            GuildRules.checkRemoval(actorRole, role);
            store.removeMember(guildId, player);
            store.bumpVersion(guildId);
            removed[0] = role;
            if (role == Role.JOIN_REQUEST) {
                return;
            }
            UUID newLeader = role == Role.LEADER ? GuildRules.successor(store.members(guildId)).orElse(null) : null;
            boolean dissolved = role == Role.LEADER && newLeader == null;
            if (newLeader != null) {
                store.setRole(guildId, newLeader, Role.LEADER);
                store.setLeader(guildId, newLeader);
            }
            events.left(guildId, player, leaving ? "LEFT" : "KICKED", newLeader, dissolved);
            if (dissolved) {
                store.delete(guildId);
            }
        }), new Part(shards.forPlayer(player), () -> {
            if (removed[0] != Role.JOIN_REQUEST) {
                store.releasePlayer(player, guildId);
            }
        })));
        if (removed[0] != Role.JOIN_REQUEST) {
            events.membershipEnded(guildId, player);
        }
    }

    /** The leader opens or closes the guild, or changes its cap (never below the current members). */
    public GuildView update(UUID guildId, UUID actor, Boolean open, Integer maxMembers) {
        return shards.forGuild(guildId).inTransaction(() -> {
            store.lock(guildId);
            GuildRules.requireLeader(actorRole(guildId, actor));
            GuildRules.checkCap(maxMembers, store.memberCount(guildId));
            store.updateSettings(guildId, open, maxMembers);
            return store.find(guildId).orElseThrow();
        });
    }

    /**
     * Makes the player a member with {@code role} on the guild's shard; also how a charter seats its
     * leader. The caller writes the player's index ({@link GuildStore#claimPlayer}) in the same transaction.
     */
    void admit(UUID guildId, UUID player, Role role) {
        store.addMember(guildId, player, role);
        store.bumpVersion(guildId);
        events.joined(guildId, player, role);
    }

    private <T> T onGuild(UUID guildId, Supplier<T> read) {
        return shards.forGuild(guildId).readOnly(read);
    }

    private Role actorRole(UUID guildId, UUID actor) {
        return store.role(guildId, actor).filter(role -> role != Role.JOIN_REQUEST).orElse(null);
    }

    /** Sets a member's role and tells the guild's stream, so that projections of it (the player query's) follow. */
    private void changeRole(UUID guildId, UUID player, Role role) {
        store.setRole(guildId, player, role);
        events.roleChanged(guildId, player, role);
    }
}
