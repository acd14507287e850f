package dev.bulwark.social.guild;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.social.guild.GuildRules.Promotion;
import dev.bulwark.social.guild.GuildStore.Locked;

/**
 * Guilds and their members. Every membership change first locks the guild's row, so changes to
 * one guild are serialised: the member cap is counted under that lock and holds however many
 * players join at once. The one-guild-per-player rule is a partial unique index, which also
 * settles a player joining two guilds at the same moment. Who may do what is
 * {@link GuildRules}; the tables are {@link GuildStore}; what others hear is {@link GuildEvents}.
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

    Guilds(GuildStore store, GuildEvents events) {
        this.store = store;
        this.events = events;
    }

    @Transactional(readOnly = true)
    public Optional<GuildView> find(UUID guildId) {
        return store.find(guildId);
    }

    @Transactional(readOnly = true)
    public Optional<GuildView> findByName(String name) {
        return store.idByName(name.strip()).flatMap(store::find);
    }

    @Transactional(readOnly = true)
    public Optional<Membership> guildOf(UUID player) {
        return store.guildOf(player);
    }

    /** The player's role in the guild, if they are a member (a join request is not membership). */
    @Transactional(readOnly = true)
    public Optional<Role> roleOf(UUID guildId, UUID player) {
        return store.role(guildId, player).filter(role -> role != Role.JOIN_REQUEST);
    }

    /** The guild's members (not its join requests); empty when the guild does not exist. */
    @Transactional(readOnly = true)
    public Set<UUID> memberIds(UUID guildId) {
        return store.memberIds(guildId);
    }

    /** Joins an open guild, or files a join request with a closed one. */
    @Transactional
    public Member join(UUID guildId, UUID player) {
        Locked guild = store.lock(guildId);
        if (store.role(guildId, player).isPresent()) {
            return store.member(guildId, player);
        }
        GuildRules.requireGuildless(store.guildOf(player).isPresent());
        if (!guild.open()) {
            store.addJoinRequest(guildId, player);
            store.bumpVersion(guildId);
            return store.member(guildId, player);
        }
        GuildRules.requireRoom(store.memberCount(guildId), guild.maxMembers());
        admit(guildId, player, Role.MEMBER);
        return store.member(guildId, player);
    }

    /** A leader or officer admits a player who asked to join, within the cap. */
    @Transactional
    public Member approve(UUID guildId, UUID actor, UUID player) {
        Locked guild = store.lock(guildId);
        GuildRules.requireManager(actorRole(guildId, actor));
        if (store.role(guildId, player).orElse(null) != Role.JOIN_REQUEST) {
            throw GuildRefusal.notFound("Join request");
        }
        GuildRules.requireGuildless(store.guildOf(player).isPresent());
        GuildRules.requireRoom(store.memberCount(guildId), guild.maxMembers());
        admit(guildId, player, Role.MEMBER);
        return store.member(guildId, player);
    }

    /** Member to officer, or (by the leader) officer to leader, the leader becoming an officer. */
    @Transactional
    public Member promote(UUID guildId, UUID actor, UUID player) {
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
    }

    /** Makes an officer a plain member again: by the leader, or by the officer stepping down. */
    @Transactional
    public Member demote(UUID guildId, UUID actor, UUID player) {
        store.lock(guildId);
        Role actorRole = GuildRules.requireManager(actorRole(guildId, actor));
        Role role = store.role(guildId, player).orElseThrow(() -> GuildRefusal.notFound("Member"));
        GuildRules.checkDemotion(actorRole, role, actor.equals(player));
        changeRole(guildId, player, Role.MEMBER);
        store.bumpVersion(guildId);
        return store.member(guildId, player);
    }

    /**
     * A player leaves (or withdraws a join request), or a leader or officer removes someone. When
     * the leader leaves, {@link GuildRules#successor} leads; the last member leaving dissolves the
     * guild, which frees its name.
     */
    @Transactional
    public void remove(UUID guildId, UUID actor, UUID player) {
        store.lock(guildId);
        boolean leaving = actor.equals(player);
        Role actorRole = leaving ? null : GuildRules.requireManager(actorRole(guildId, actor));
        Role role = store.role(guildId, player).orElseThrow(() -> GuildRefusal.notFound("Member"));
        GuildRules.checkRemoval(actorRole, role);
        store.removeMember(guildId, player);
        store.bumpVersion(guildId);
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
    }

    /** The leader opens or closes the guild, or changes its cap (never below the current members). */
    @Transactional
    public GuildView update(UUID guildId, UUID actor, Boolean open, Integer maxMembers) {
        store.lock(guildId);
        GuildRules.requireLeader(actorRole(guildId, actor));
        GuildRules.checkCap(maxMembers, store.memberCount(guildId));
        store.updateSettings(guildId, open, maxMembers);
        return store.find(guildId).orElseThrow();
    }

    /** Makes the player a member with {@code role}; also how a charter seats its leader. */
    void admit(UUID guildId, UUID player, Role role) {
        store.addMember(guildId, player, role);
        store.bumpVersion(guildId);
        events.joined(guildId, player, role);
    }

    private Role actorRole(UUID guildId, UUID actor) {
        return roleOf(guildId, actor).orElse(null);
    }

    /** Sets a member's role and tells the guild's stream, so that projections of it (the player query's) follow. */
    private void changeRole(UUID guildId, UUID player, Role role) {
        store.setRole(guildId, player, role);
        events.roleChanged(guildId, player, role);
    }
}
