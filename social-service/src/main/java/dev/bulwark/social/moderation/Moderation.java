package dev.bulwark.social.moderation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.bulwark.platform.web.ApiException;
import dev.bulwark.social.shard.SocialShards;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an operator does to a guild's chat, each action and its audit row in one transaction of the
 * guild's shard (its chat, mutes and moderation log live with the guild): a refused action writes
 * neither. The guild search asks every shard.
 */
@Service
class Moderation {

    record GuildSummary(UUID guildId, String name, UUID leaderId, boolean open, int maxMembers, int members,
            int joinRequests) {
    }

    record ChatMessage(long id, UUID playerId, String text, Instant postedAt) {
    }

    record Mute(UUID guildId, UUID playerId, Instant until, String mutedBy, String reason) {
    }

    record Removed(UUID guildId, long messageId, UUID playerId, String removedBy) {
    }

    record AuditEntry(long id, String operatorId, UUID guildId, UUID playerId, String action, String reason,
            String detail, Instant at) {
    }

    private final SocialShards shards;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    Moderation(SocialShards shards, Clock clock) {
        this.shards = shards;
        this.clock = clock;
    }

    /** Guilds whose name starts with {@code prefix} (case-insensitive; {@code %} and {@code _} literal), by name. */
    List<GuildSummary> search(String prefix, int limit) {
        String pattern = prefix.strip().toLowerCase(java.util.Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return shards.all().stream()
                .flatMap(shard -> shard.readOnly(() -> search(shard.jdbc(), pattern, limit)).stream())
                .sorted(java.util.Comparator.comparing(g -> g.name().toLowerCase(java.util.Locale.ROOT)))
                .limit(limit)
                .toList();
    }

    private static List<GuildSummary> search(JdbcClient jdbc, String pattern, int limit) {
        return jdbc.sql("""
                SELECT g.guild_id, g.name, g.leader_id, g.open, g.max_members,
                       count(m.player_id) FILTER (WHERE m.role <> 'JOIN_REQUEST') AS members,
                       count(m.player_id) FILTER (WHERE m.role = 'JOIN_REQUEST') AS join_requests
                FROM guild g LEFT JOIN guild_member m ON m.guild_id = g.guild_id
                WHERE lower(g.name) LIKE :pattern
                GROUP BY g.guild_id ORDER BY lower(g.name) LIMIT :limit""")
                .param("pattern", pattern).param("limit", limit)
                .query((rs, row) -> new GuildSummary(rs.getObject("guild_id", UUID.class), rs.getString("name"),
                        rs.getObject("leader_id", UUID.class), rs.getBoolean("open"), rs.getInt("max_members"),
                        rs.getInt("members"), rs.getInt("join_requests")))
                .list();
    }

    /** The guild's messages newest first, before message {@code before} when given. */
    List<ChatMessage> messages(UUID guildId, Long before, int limit) {
        return shards.forGuild(guildId).readOnly(() -> {
            requireGuild(guildId);
            return jdbc(guildId).sql("""
                SELECT seq, author_id, text, posted_at FROM guild_message
                WHERE guild_id = :guild AND (CAST(:before AS bigint) IS NULL OR seq < :before)
                ORDER BY seq DESC LIMIT :limit""")
                .param("guild", guildId).param("before", before).param("limit", limit)
                .query((rs, row) -> new ChatMessage(rs.getLong("seq"), rs.getObject("author_id", UUID.class),
                        rs.getString("text"), rs.getTimestamp("posted_at").toInstant()))
                .list();
        });
    }

    /** Deletes one message; its text stays in the audit row. 404 when there is no such message. */
    Removed remove(UUID guildId, long messageId, String operator, String reason) {
        return shards.forGuild(guildId).inTransaction(() -> removeOnShard(guildId, messageId, operator, reason));
    }

    private Removed removeOnShard(UUID guildId, long messageId, String operator, String reason) {
        record Gone(UUID author, String text) {
        }
        Gone gone = jdbc(guildId).sql("DELETE FROM guild_message WHERE guild_id = :guild AND seq = :seq RETURNING author_id, text")
                .param("guild", guildId).param("seq", messageId)
                .query((rs, row) -> new Gone(rs.getObject("author_id", UUID.class), rs.getString("text")))
                .optional().orElseThrow(() -> ApiException.notFound("Message"));
        audit(operator, guildId, gone.author(), "REMOVE_MESSAGE", reason,
                Map.of("messageId", messageId, "text", gone.text()));
        return new Removed(guildId, messageId, gone.author(), operator);
    }

    /** Mutes a player in a guild's chat until now + {@code duration}; muting again replaces the mute. */
    Mute mute(UUID guildId, UUID player, Duration duration, String operator, String reason) {
        return shards.forGuild(guildId).inTransaction(() -> muteOnShard(guildId, player, duration, operator, reason));
    }

    private Mute muteOnShard(UUID guildId, UUID player, Duration duration, String operator, String reason) {
        requireGuild(guildId);
        Instant until = clock.instant().plus(duration);
        jdbc(guildId).sql("""
                INSERT INTO chat_mute (guild_id, player_id, until, muted_by, reason) VALUES (:guild, :player, :until, :by, :reason)
                ON CONFLICT (guild_id, player_id) DO UPDATE SET until = EXCLUDED.until, muted_by = EXCLUDED.muted_by,
                  reason = EXCLUDED.reason""")
                .param("guild", guildId).param("player", player).param("until", Timestamp.from(until))
                .param("by", operator).param("reason", reason).update();
        audit(operator, guildId, player, "MUTE", reason, Map.of("until", until.toString()));
        return new Mute(guildId, player, until, operator, reason);
    }

    /** Ends a mute; 404 when the player is not muted there. */
    void unmute(UUID guildId, UUID player, String operator, String reason) {
        shards.forGuild(guildId).inTransaction(() -> unmuteOnShard(guildId, player, operator, reason));
    }

    private void unmuteOnShard(UUID guildId, UUID player, String operator, String reason) {
        int ended = jdbc(guildId).sql("DELETE FROM chat_mute WHERE guild_id = :guild AND player_id = :player AND until > :now")
                .param("guild", guildId).param("player", player).param("now", Timestamp.from(clock.instant())).update();
        if (ended == 0) {
            throw ApiException.notFound("Mute");
        }
        audit(operator, guildId, player, "UNMUTE", reason, Map.of());
    }

    List<Mute> mutes(UUID guildId) {
        return shards.forGuild(guildId).readOnly(() -> jdbc(guildId).sql("SELECT * FROM chat_mute WHERE guild_id = :guild AND until > :now ORDER BY until DESC")
                .param("guild", guildId).param("now", Timestamp.from(clock.instant())).query(this::mute).list());
    }

    /** The mute in force for this player in this guild's chat, if any. */
    Optional<Mute> muted(UUID guildId, UUID player) {
        return shards.forGuild(guildId).readOnly(() -> jdbc(guildId).sql("SELECT * FROM chat_mute WHERE guild_id = :guild AND player_id = :player AND until > :now")
                .param("guild", guildId).param("player", player).param("now", Timestamp.from(clock.instant()))
                .query(this::mute).optional());
    }

    List<AuditEntry> auditLog(UUID guildId, int limit) {
        return shards.forGuild(guildId).readOnly(() -> jdbc(guildId).sql("""
                SELECT id, operator_id, guild_id, player_id, action, reason, detail::text AS detail, at
                FROM moderation_audit_log WHERE guild_id = :guild ORDER BY at DESC, id DESC LIMIT :limit""")
                .param("guild", guildId).param("limit", limit)
                .query((rs, row) -> new AuditEntry(rs.getLong("id"), rs.getString("operator_id"),
                        rs.getObject("guild_id", UUID.class), rs.getObject("player_id", UUID.class), rs.getString("action"),
                        rs.getString("reason"), rs.getString("detail"), rs.getTimestamp("at").toInstant()))
                .list());
    }

    private JdbcClient jdbc(UUID guildId) {
        return shards.forGuild(guildId).jdbc();
    }

    private void requireGuild(UUID guildId) {
        if (jdbc(guildId).sql("SELECT count(*) FROM guild WHERE guild_id = :guild").param("guild", guildId).query(Long.class)
                .single() == 0) {
            throw ApiException.notFound("Guild");
        }
    }

    private void audit(String operator, UUID guildId, UUID player, String action, String reason, Map<String, ?> detail) {
        jdbc(guildId).sql("""
                INSERT INTO moderation_audit_log (operator_id, guild_id, player_id, action, reason, detail, at)
                VALUES (:operator, :guild, :player, :action, :reason, CAST(:detail AS jsonb), :at)""")
                .param("operator", operator).param("guild", guildId).param("player", player).param("action", action)
                .param("reason", reason).param("detail", json.writeValueAsString(detail))
                .param("at", Timestamp.from(clock.instant())).update();
    }

    private Mute mute(ResultSet rs, int row) throws SQLException {
        return new Mute(rs.getObject("guild_id", UUID.class), rs.getObject("player_id", UUID.class),
                rs.getTimestamp("until").toInstant(), rs.getString("muted_by"), rs.getString("reason"));
    }
}
