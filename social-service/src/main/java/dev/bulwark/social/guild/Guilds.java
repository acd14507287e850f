package dev.bulwark.social.guild;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.events.saga.CreateGuild;
import dev.bulwark.events.social.GuildCreated;
import dev.bulwark.events.social.GuildMemberJoined;
import dev.bulwark.events.social.GuildMemberLeft;
import dev.bulwark.events.social.GuildRoleChanged;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.platform.saga.SagaParticipant.Decision;
import dev.bulwark.platform.web.ApiException;

/**
 * Guilds and their members. Every membership change first locks the guild's row, so changes to
 * one guild are serialised: the member cap is counted under that lock and holds however many
 * players join at once. The one-guild-per-player rule is a partial unique index, which also
 * settles a player joining two guilds at the same moment.
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

    private record Locked(UUID guildId, UUID leaderId, boolean open, int maxMembers) {
    }

    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} _'-]{1,30}[\\p{L}\\p{N}]");

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final GuildProperties properties;

    Guilds(JdbcClient jdbc, Outbox outbox, ApplicationEventPublisher events, Clock clock, GuildProperties properties) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.events = events;
        this.clock = clock;
        this.properties = properties;
    }

    /**
     * The {@code guild-charter} effect, inside the saga participant's transaction. It refuses
     * before writing; a name taken by a concurrent charter trips the unique index instead, the
     * transaction rolls back and the redelivered command then finds the name taken.
     */
    @Transactional
    public Decision create(CreateGuild command) {
        String name = command.guildName() == null ? "" : command.guildName().strip();
        if (!NAME.matcher(name).matches()) {
            return Decision.failed("invalid-name");
        }
        if (jdbc.sql("SELECT count(*) FROM guild WHERE lower(name) = lower(:name)").param("name", name)
                .query(Integer.class).single() > 0) {
            return Decision.failed("name-taken");
        }
        if (guildOf(command.leaderId()).isPresent()) {
            return Decision.failed("leader-in-a-guild");
        }
        UUID guildId = UUID.randomUUID();
        Instant now = clock.instant();
        jdbc.sql("""
                INSERT INTO guild (guild_id, name, leader_id, max_members, created_by_saga, created_at)
                VALUES (:id, :name, :leader, :max, :saga, :now)""")
                .param("id", guildId).param("name", name).param("leader", command.leaderId())
                .param("max", properties.defaultMaxMembers()).param("saga", command.sagaId())
                .param("now", java.sql.Timestamp.from(now)).update();
        outbox.publish(new GuildCreated(guildId, name, command.leaderId(), command.sagaId(), now), guildId.toString());
        admit(guildId, command.leaderId(), Role.LEADER);
        return Decision.succeeded(Map.of("guildId", guildId.toString()));
    }

    @Transactional(readOnly = true)
    public Optional<GuildView> find(UUID guildId) {
        return jdbc.sql("SELECT guild_id, name, leader_id, open, max_members, version FROM guild WHERE guild_id = :id")
                .param("id", guildId)
                .query((rs, n) -> new GuildView(rs.getObject("guild_id", UUID.class), rs.getString("name"),
                        rs.getObject("leader_id", UUID.class), rs.getBoolean("open"), rs.getInt("max_members"),
                        members(guildId), rs.getLong("version")))
                .optional();
    }

    @Transactional(readOnly = true)
    public Optional<GuildView> findByName(String name) {
        return jdbc.sql("SELECT guild_id FROM guild WHERE lower(name) = lower(:name)").param("name", name.strip())
                .query(UUID.class).optional().flatMap(this::find);
    }

    @Transactional(readOnly = true)
    public Optional<Membership> guildOf(UUID player) {
        return jdbc.sql("""
                SELECT g.guild_id, g.name, m.role FROM guild_member m JOIN guild g ON g.guild_id = m.guild_id
                WHERE m.player_id = :player AND m.role <> 'JOIN_REQUEST'""")
                .param("player", player)
                .query((rs, n) -> new Membership(rs.getObject("guild_id", UUID.class), rs.getString("name"),
                        Role.valueOf(rs.getString("role"))))
                .optional();
    }

    /** The player's role in the guild, if they are a member (a join request is not membership). */
    @Transactional(readOnly = true)
    public Optional<Role> roleOf(UUID guildId, UUID player) {
        return role(guildId, player).filter(role -> role != Role.JOIN_REQUEST);
    }

    /** The guild's members (not its join requests); empty when the guild does not exist. */
    @Transactional(readOnly = true)
    public Set<UUID> memberIds(UUID guildId) {
        return Set.copyOf(jdbc.sql("SELECT player_id FROM guild_member WHERE guild_id = :guild AND role <> 'JOIN_REQUEST'")
                .param("guild", guildId).query(UUID.class).list());
    }

    /** Joins an open guild, or files a join request with a closed one. */
    @Transactional
    public Member join(UUID guildId, UUID player) {
        Locked guild = lock(guildId);
        Optional<Role> current = role(guildId, player);
        if (current.isPresent()) {
            return member(guildId, player);
        }
        refuseIfInAnotherGuild(player);
        if (!guild.open()) {
            jdbc.sql("INSERT INTO guild_member (guild_id, player_id, role) VALUES (:guild, :player, 'JOIN_REQUEST')")
                    .param("guild", guildId).param("player", player).update();
            bumpVersion(guildId);
            return member(guildId, player);
        }
        refuseIfFull(guild);
        admit(guildId, player, Role.MEMBER);
        return member(guildId, player);
    }

    /** A leader or officer admits a player who asked to join, within the cap. */
    @Transactional
    public Member approve(UUID guildId, UUID actor, UUID player) {
        Locked guild = lock(guildId);
        requireManager(guildId, actor);
        if (role(guildId, player).orElse(null) != Role.JOIN_REQUEST) {
            throw ApiException.notFound("Join request");
        }
        refuseIfInAnotherGuild(player);
        refuseIfFull(guild);
        admit(guildId, player, Role.MEMBER);
        return member(guildId, player);
    }

    /**
     * A leader or officer makes a member an officer; only the leader hands leadership to an
     * officer (becoming an officer themselves). Who may do what is checked against the target's
     * role, so an officer promoting an officer is refused (403), never a quiet leadership change.
     */
    @Transactional
    public Member promote(UUID guildId, UUID actor, UUID player) {
        lock(guildId);
        Role actorRole = requireManager(guildId, actor);
        Role role = role(guildId, player).orElseThrow(() -> ApiException.notFound("Member"));
        switch (role) {
            case MEMBER -> changeRole(guildId, player, Role.OFFICER);
            case OFFICER -> {
                if (actorRole != Role.LEADER) {
                    throw forbidden("Only the guild's leader can hand over leadership");
                }
                changeRole(guildId, actor, Role.OFFICER);
                changeRole(guildId, player, Role.LEADER);
                jdbc.sql("UPDATE guild SET leader_id = :player WHERE guild_id = :guild")
                        .param("player", player).param("guild", guildId).update();
            }
            default -> throw ApiException.conflict("cannot-promote", "Only a member or an officer can be promoted");
        }
        bumpVersion(guildId);
        return member(guildId, player);
    }

    /**
     * Makes an officer a plain member again: the leader demotes any officer, an officer only
     * themselves (stepping down), never another officer.
     */
    @Transactional
    public Member demote(UUID guildId, UUID actor, UUID player) {
        lock(guildId);
        Role actorRole = requireManager(guildId, actor);
        Role role = role(guildId, player).orElseThrow(() -> ApiException.notFound("Member"));
        if (role != Role.OFFICER) {
            throw ApiException.conflict("cannot-demote", "Only an officer can be demoted");
        }
        if (actorRole != Role.LEADER && !actor.equals(player)) {
            throw forbidden("An officer can step down, but only the leader demotes other officers");
        }
        changeRole(guildId, player, Role.MEMBER);
        bumpVersion(guildId);
        return member(guildId, player);
    }

    /**
     * A player leaves (or withdraws a join request), or a leader or officer removes someone: the
     * leader may remove anyone, an officer only members and join requests. When the leader
     * leaves, the oldest officer leads, else the oldest member; the last member leaving
     * dissolves the guild, which frees its name.
     */
    @Transactional
    public void remove(UUID guildId, UUID actor, UUID player) {
        lock(guildId);
        boolean leaving = actor.equals(player);
        Role actorRole = leaving ? null : requireManager(guildId, actor);
        Role role = role(guildId, player).orElseThrow(() -> ApiException.notFound("Member"));
        if (actorRole == Role.OFFICER && role.manages()) {
            throw forbidden("An officer can remove members and join requests, not the leader or officers");
        }
        jdbc.sql("DELETE FROM guild_member WHERE guild_id = :guild AND player_id = :player")
                .param("guild", guildId).param("player", player).update();
        bumpVersion(guildId);
        if (role == Role.JOIN_REQUEST) {
            return;
        }
        UUID newLeader = role == Role.LEADER ? successor(guildId) : null;
        boolean dissolved = role == Role.LEADER && newLeader == null;
        if (newLeader != null) {
            setRole(guildId, newLeader, Role.LEADER);
            jdbc.sql("UPDATE guild SET leader_id = :leader WHERE guild_id = :guild")
                    .param("leader", newLeader).param("guild", guildId).update();
        }
        outbox.publish(new GuildMemberLeft(guildId, player, leaving ? "LEFT" : "KICKED", newLeader, dissolved,
                clock.instant()), guildId.toString());
        events.publishEvent(new GuildMembershipEnded(guildId, player));
        if (dissolved) {
            jdbc.sql("DELETE FROM guild WHERE guild_id = :guild").param("guild", guildId).update();
        }
    }

    /** The leader opens or closes the guild, or changes its cap (never below the current members). */
    @Transactional
    public GuildView update(UUID guildId, UUID actor, Boolean open, Integer maxMembers) {
        lock(guildId);
        requireLeader(guildId, actor);
        if (maxMembers != null && maxMembers < memberCount(guildId)) {
            throw ApiException.conflict("cap-below-members", "The guild already has more members than " + maxMembers);
        }
        jdbc.sql("""
                UPDATE guild SET open = coalesce(:open, open), max_members = coalesce(:max, max_members),
                version = version + 1 WHERE guild_id = :guild""")
                .param("open", open).param("max", maxMembers).param("guild", guildId).update();
        return find(guildId).orElseThrow();
    }

    private Locked lock(UUID guildId) {
        return jdbc.sql("SELECT guild_id, leader_id, open, max_members FROM guild WHERE guild_id = :id FOR UPDATE")
                .param("id", guildId)
                .query((rs, n) -> new Locked(guildId, rs.getObject("leader_id", UUID.class), rs.getBoolean("open"),
                        rs.getInt("max_members")))
                .optional().orElseThrow(() -> ApiException.notFound("Guild"));
    }

    private Role requireManager(UUID guildId, UUID actor) {
        Role role = roleOf(guildId, actor).orElseThrow(() -> forbidden("Only the guild's leader and officers can do this"));
        if (!role.manages()) {
            throw forbidden("Only the guild's leader and officers can do this");
        }
        return role;
    }

    private void requireLeader(UUID guildId, UUID actor) {
        if (roleOf(guildId, actor).orElse(null) != Role.LEADER) {
            throw forbidden("Only the guild's leader can do this");
        }
    }

    private void refuseIfInAnotherGuild(UUID player) {
        if (guildOf(player).isPresent()) {
            throw ApiException.conflict("already-in-a-guild", "The player is already a member of a guild");
        }
    }

    private void refuseIfFull(Locked guild) {
        if (memberCount(guild.guildId()) >= guild.maxMembers()) {
            throw ApiException.conflict("guild-full", "The guild has no free place");
        }
    }

    /**
     * Makes the player a member with {@code role} and withdraws their requests elsewhere. A
     * concurrent admission to another guild trips the one-guild-per-player index. The requests go
     * first: deleting them after the insert could deadlock with an approval of one of them.
     */
    private void admit(UUID guildId, UUID player, Role role) {
        jdbc.sql("DELETE FROM guild_member WHERE player_id = :player AND role = 'JOIN_REQUEST' AND guild_id <> :guild")
                .param("player", player).param("guild", guildId).update();
        try {
            jdbc.sql("""
                    INSERT INTO guild_member (guild_id, player_id, role) VALUES (:guild, :player, :role)
                    ON CONFLICT (guild_id, player_id) DO UPDATE
                    SET role = excluded.role, since = now(), position = nextval('guild_member_position_seq')""")
                    .param("guild", guildId).param("player", player).param("role", role.name()).update();
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("already-in-a-guild", "The player is already a member of a guild");
        }
        bumpVersion(guildId);
        outbox.publish(new GuildMemberJoined(guildId, player, role.name(), clock.instant()), guildId.toString());
    }

    private UUID successor(UUID guildId) {
        return jdbc.sql("""
                SELECT player_id FROM guild_member WHERE guild_id = :guild AND role IN ('OFFICER', 'MEMBER')
                ORDER BY role = 'OFFICER' DESC, position LIMIT 1""")
                .param("guild", guildId).query(UUID.class).optional().orElse(null);
    }

    private Optional<Role> role(UUID guildId, UUID player) {
        return jdbc.sql("SELECT role FROM guild_member WHERE guild_id = :guild AND player_id = :player")
                .param("guild", guildId).param("player", player)
                .query((rs, n) -> Role.valueOf(rs.getString("role"))).optional();
    }

    /** Sets a member's role and tells the guild's stream, so that projections of it (the player query's) follow. */
    private void changeRole(UUID guildId, UUID player, Role role) {
        setRole(guildId, player, role);
        outbox.publish(new GuildRoleChanged(guildId, player, role.name(), clock.instant()), guildId.toString());
    }

    private void setRole(UUID guildId, UUID player, Role role) {
        jdbc.sql("UPDATE guild_member SET role = :role WHERE guild_id = :guild AND player_id = :player")
                .param("role", role.name()).param("guild", guildId).param("player", player).update();
    }

    private int memberCount(UUID guildId) {
        return jdbc.sql("SELECT count(*) FROM guild_member WHERE guild_id = :guild AND role <> 'JOIN_REQUEST'")
                .param("guild", guildId).query(Integer.class).single();
    }

    private void bumpVersion(UUID guildId) {
        jdbc.sql("UPDATE guild SET version = version + 1 WHERE guild_id = :guild").param("guild", guildId).update();
    }

    private Member member(UUID guildId, UUID player) {
        return jdbc.sql("SELECT player_id, role, since FROM guild_member WHERE guild_id = :guild AND player_id = :player")
                .param("guild", guildId).param("player", player)
                .query((rs, n) -> new Member(player, Role.valueOf(rs.getString("role")),
                        rs.getTimestamp("since").toInstant()))
                .single();
    }

    private List<Member> members(UUID guildId) {
        return jdbc.sql("""
                SELECT player_id, role, since FROM guild_member WHERE guild_id = :guild
                ORDER BY array_position(ARRAY['LEADER', 'OFFICER', 'MEMBER', 'JOIN_REQUEST'], role), position""")
                .param("guild", guildId)
                .query((rs, n) -> new Member(rs.getObject("player_id", UUID.class), Role.valueOf(rs.getString("role")),
                        rs.getTimestamp("since").toInstant()))
                .list();
    }

    private static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", detail);
    }
}
