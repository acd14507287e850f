package dev.bulwark.social.guild;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.bulwark.platform.shard.ShardUnit;

import dev.bulwark.social.guild.Guilds.GuildView;
import dev.bulwark.social.guild.Guilds.Member;
import dev.bulwark.social.guild.Guilds.Membership;
import dev.bulwark.social.guild.Guilds.Role;
import dev.bulwark.social.shard.SocialShards;

/**
 * The guild tables. A guild's rows (guild, members, join requests) are on the guild's shard; the
 * player's own guild index ({@code player_guild}) on the player's shard; the name directory on the
 * primary. Each statement runs on its shard, in the transaction bound there (a two-phase commit's
 * participant included). Writers call {@link #lock} first; the one-guild-per-player rule is the
 * index's primary key, which {@link #claimPlayer} reports as
 * {@link GuildRefusal.Reason#ALREADY_IN_A_GUILD}.
 */
@Repository
class GuildStore {

    /** The guild row as locked by this transaction. */
    record Locked(UUID guildId, UUID leaderId, boolean open, int maxMembers) {
    }

    private final SocialShards shards;

    GuildStore(SocialShards shards) {
        this.shards = shards;
    }

    private JdbcClient guild(UUID guildId) {
        return shards.forGuild(guildId).jdbc();
    }

    private JdbcClient player(UUID playerId) {
        return shards.forPlayer(playerId).jdbc();
    }

    private JdbcClient directory() {
        return shards.primary().jdbc();
    }

    /** Locks the guild's row until the transaction ends: changes to one guild are serialised. */
    Locked lock(UUID guildId) {
        return guild(guildId).sql("SELECT guild_id, leader_id, open, max_members FROM guild WHERE guild_id = :id FOR UPDATE")
                .param("id", guildId)
                .query((rs, n) -> new Locked(guildId, rs.getObject("leader_id", UUID.class), rs.getBoolean("open"),
                        rs.getInt("max_members")))
                .optional().orElseThrow(() -> GuildRefusal.notFound("Guild"));
    }

    Optional<GuildView> find(UUID guildId) {
        return guild(guildId).sql("SELECT guild_id, name, leader_id, open, max_members, version FROM guild WHERE guild_id = :id")
                .param("id", guildId)
                .query((rs, n) -> new GuildView(rs.getObject("guild_id", UUID.class), rs.getString("name"),
                        rs.getObject("leader_id", UUID.class), rs.getBoolean("open"), rs.getInt("max_members"),
                        members(guildId), rs.getLong("version")))
                .optional();
    }

    /** The guild that claimed the name in the directory; it may have dissolved since. */
    Optional<UUID> idByName(String name) {
        return directory().sql("SELECT guild_id FROM guild_name_claim WHERE name_key = lower(:name)").param("name", name)
                .query(UUID.class).optional();
    }

    /** The guild the player's index names (on the player's shard). */
    Optional<UUID> indexedGuild(UUID player) {
        return player(player).sql("SELECT guild_id FROM player_guild WHERE player_id = :player").param("player", player)
                .query(UUID.class).optional();
    }

    Optional<Membership> guildOf(UUID player) {
        return indexedGuild(player).flatMap(guildId -> guild(guildId).sql("""
                SELECT g.guild_id, g.name, m.role FROM guild_member m JOIN guild g ON g.guild_id = m.guild_id
                WHERE m.guild_id = :guild AND m.player_id = :player AND m.role <> 'JOIN_REQUEST'""")
                .param("guild", guildId).param("player", player)
                .query((rs, n) -> new Membership(rs.getObject("guild_id", UUID.class), rs.getString("name"),
                        Role.valueOf(rs.getString("role"))))
                .optional());
    }

    /** The player's place in the guild, a join request included. */
    Optional<Role> role(UUID guildId, UUID player) {
        return guild(guildId).sql("SELECT role FROM guild_member WHERE guild_id = :guild AND player_id = :player")
                .param("guild", guildId).param("player", player)
                .query((rs, n) -> Role.valueOf(rs.getString("role"))).optional();
    }

    Set<UUID> memberIds(UUID guildId) {
        return Set.copyOf(guild(guildId).sql("SELECT player_id FROM guild_member WHERE guild_id = :guild AND role <> 'JOIN_REQUEST'")
                .param("guild", guildId).query(UUID.class).list());
    }

    int memberCount(UUID guildId) {
        return guild(guildId).sql("SELECT count(*) FROM guild_member WHERE guild_id = :guild AND role <> 'JOIN_REQUEST'")
                .param("guild", guildId).query(Integer.class).single();
    }

    Member member(UUID guildId, UUID player) {
        return guild(guildId).sql("SELECT player_id, role, since FROM guild_member WHERE guild_id = :guild AND player_id = :player")
                .param("guild", guildId).param("player", player)
                .query((rs, n) -> new Member(player, Role.valueOf(rs.getString("role")),
                        rs.getTimestamp("since").toInstant()))
                .single();
    }

    /** Leader first, then officers, members and join requests, each in order of joining. */
    List<Member> members(UUID guildId) {
        return guild(guildId).sql("""
                SELECT player_id, role, since FROM guild_member WHERE guild_id = :guild
                ORDER BY array_position(ARRAY['LEADER', 'OFFICER', 'MEMBER', 'JOIN_REQUEST'], role), position""")
                .param("guild", guildId)
                .query((rs, n) -> new Member(rs.getObject("player_id", UUID.class), Role.valueOf(rs.getString("role")),
                        rs.getTimestamp("since").toInstant()))
                .list();
    }

    boolean exists(UUID guildId) {
        return guild(guildId).sql("SELECT count(*) FROM guild WHERE guild_id = :id").param("id", guildId)
                .query(Integer.class).single() > 0;
    }

    /**
     * Claims the name in the directory for {@code guildId}, first dropping the claim of
     * {@code staleGuild} (a dissolved guild's) when given. A concurrent claim trips the key.
     */
    void claimName(String name, UUID guildId, UUID staleGuild) {
        if (staleGuild != null) {
            directory().sql("DELETE FROM guild_name_claim WHERE name_key = lower(:name) AND guild_id = :stale")
                    .param("name", name).param("stale", staleGuild).update();
        }
        directory().sql("INSERT INTO guild_name_claim (name_key, guild_id) VALUES (lower(:name), :guild)")
                .param("name", name).param("guild", guildId).update();
    }

    /**
     * Writes the player's guild index (on the player's shard): the one-guild-per-player rule across
     * every shard. A concurrent claim waits for the other transaction and then sees its row.
     */
    void claimPlayer(UUID player, UUID guildId) {
        int inserted = player(player).sql("""
                INSERT INTO player_guild (player_id, guild_id) VALUES (:player, :guild) ON CONFLICT (player_id) DO NOTHING""")
                .param("player", player).param("guild", guildId).update();
        if (inserted == 0 && !indexedGuild(player).map(guildId::equals).orElse(false)) {
            throw GuildRefusal.alreadyInAGuild();
        }
    }

    void releasePlayer(UUID player, UUID guildId) {
        player(player).sql("DELETE FROM player_guild WHERE player_id = :player AND guild_id = :guild")
                .param("player", player).param("guild", guildId).update();
    }

    /**
     * Withdraws the player's join requests on the shards other than {@code joined}'s (the joining
     * transaction withdrew those on its own shard). Best effort, after the join committed: a
     * request left behind on a shard that was down cannot be approved (approval checks the index).
     */
    void withdrawRequestsElsewhere(UUID player, ShardUnit joined) {
        for (ShardUnit shard : shards.all()) {
            if (shard == joined) {
                continue;
            }
            try {
                shard.guarded(() -> shard.jdbc()
                        .sql("DELETE FROM guild_member WHERE player_id = :player AND role = 'JOIN_REQUEST'")
                        .param("player", player).update());
            } catch (RuntimeException unavailable) {
                // left for approval to refuse; see above
            }
        }
    }

    void insertGuild(UUID guildId, String name, UUID leaderId, int maxMembers, UUID sagaId, Instant createdAt) {
        guild(guildId).sql("""
                INSERT INTO guild (guild_id, name, leader_id, max_members, created_by_saga, created_at)
                VALUES (:id, :name, :leader, :max, :saga, :now)""")
                .param("id", guildId).param("name", name).param("leader", leaderId)
                .param("max", maxMembers).param("saga", sagaId)
                .param("now", Timestamp.from(createdAt)).update();
    }

    void addJoinRequest(UUID guildId, UUID player) {
        guild(guildId).sql("INSERT INTO guild_member (guild_id, player_id, role) VALUES (:guild, :player, 'JOIN_REQUEST')")
                .param("guild", guildId).param("player", player).update();
    }

    /**
     * Makes the player a member with {@code role} and withdraws their requests elsewhere. A
     * concurrent admission to another guild trips the one-guild-per-player index. The requests go
     * first: deleting them after the insert could deadlock with an approval of one of them.
     */
    void addMember(UUID guildId, UUID player, Role role) {
        guild(guildId).sql("DELETE FROM guild_member WHERE player_id = :player AND role = 'JOIN_REQUEST' AND guild_id <> :guild")
                .param("player", player).param("guild", guildId).update();
        try {
            guild(guildId).sql("""
                    INSERT INTO guild_member (guild_id, player_id, role) VALUES (:guild, :player, :role)
                    ON CONFLICT (guild_id, player_id) DO UPDATE
                    SET role = excluded.role, since = now(), position = nextval('guild_member_position_seq')""")
                    .param("guild", guildId).param("player", player).param("role", role.name()).update();
        } catch (DuplicateKeyException e) {
            throw GuildRefusal.alreadyInAGuild();
        }
    }

    void setRole(UUID guildId, UUID player, Role role) {
        guild(guildId).sql("UPDATE guild_member SET role = :role WHERE guild_id = :guild AND player_id = :player")
                .param("role", role.name()).param("guild", guildId).param("player", player).update();
    }

    void setLeader(UUID guildId, UUID leaderId) {
        guild(guildId).sql("UPDATE guild SET leader_id = :leader WHERE guild_id = :guild")
                .param("leader", leaderId).param("guild", guildId).update();
    }

    void removeMember(UUID guildId, UUID player) {
        guild(guildId).sql("DELETE FROM guild_member WHERE guild_id = :guild AND player_id = :player")
                .param("guild", guildId).param("player", player).update();
    }

    void delete(UUID guildId) {
        guild(guildId).sql("DELETE FROM guild WHERE guild_id = :guild").param("guild", guildId).update();
    }

    /** Opens or closes the guild and changes its cap (null leaves a setting as it is). */
    void updateSettings(UUID guildId, Boolean open, Integer maxMembers) {
        guild(guildId).sql("""
                UPDATE guild SET open = coalesce(:open, open), max_members = coalesce(:max, max_members),
                version = version + 1 WHERE guild_id = :guild""")
                .param("open", open).param("max", maxMembers).param("guild", guildId).update();
    }

    void bumpVersion(UUID guildId) {
        guild(guildId).sql("UPDATE guild SET version = version + 1 WHERE guild_id = :guild").param("guild", guildId).update();
    }
}
