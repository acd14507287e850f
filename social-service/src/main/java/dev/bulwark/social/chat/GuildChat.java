package dev.bulwark.social.chat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.bulwark.platform.ratelimit.RateLimit;
import dev.bulwark.platform.ratelimit.RateLimits;
import dev.bulwark.social.guild.GuildMembershipEnded;
import dev.bulwark.social.guild.Guilds;
import dev.bulwark.social.shard.SocialShards;

/**
 * Posting and reading a guild's messages. A post and its notification to every instance
 * ({@code NOTIFY guild_chat}) commit together; PostgreSQL delivers notifications after commit,
 * in commit order, to every instance listening (see {@link ChatNotifications}). A guild's messages
 * and its notifications are on the guild's shard.
 */
@Service
class GuildChat {

    static final String CHANNEL = "guild_chat";

    record Message(long id, UUID guildId, UUID playerId, String text, Instant postedAt) {
    }

    private final SocialShards shards;
    private final Guilds guilds;
    private final RateLimit posting;
    private final ChatProperties properties;
    private final Clock clock;

    GuildChat(SocialShards shards, Guilds guilds, RateLimits rateLimits, ChatProperties properties, Clock clock) {
        this.shards = shards;
        this.guilds = guilds;
        this.posting = rateLimits.limit("chat-posts", properties.postsPerWindow(), properties.postsPerWindow(),
                properties.window(), "Posting too fast");
        this.properties = properties;
        this.clock = clock;
    }

    private JdbcClient jdbc(UUID guildId) {
        return shards.forGuild(guildId).jdbc();
    }

    /**
     * Checks the text, takes a token from the author's posting budget (shared by every instance;
     * a refusal is 429 with Retry-After and changes nothing), then posts in one transaction. The
     * token is taken before the transaction opens, so a post never holds two pooled connections.
     */
    public Message post(UUID guildId, UUID author, String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty() || trimmed.codePointCount(0, trimmed.length()) > properties.maxLength()) {
            throw new ChatRefusal(ChatRefusal.Reason.INVALID_MESSAGE,
                    "A message has 1 to " + properties.maxLength() + " characters after trimming");
        }
        posting.acquire(author.toString());
        return shards.forGuild(guildId).inTransaction(() -> insert(guildId, author, trimmed));
    }

    private Message insert(UUID guildId, UUID author, String trimmed) {
        // Taking the number locks the guild row: posts of one guild commit in number order,
        // and a kick (which locks the same row) is either before this post or after it.
        Long seq = jdbc(guildId).sql("UPDATE guild SET last_message_seq = last_message_seq + 1 WHERE guild_id = :guild RETURNING last_message_seq")
                .param("guild", guildId).query(Long.class).optional()
                .orElseThrow(ChatRefusal::guildNotFound);
        requireMember(guildId, author);
        Instant now = clock.instant();
        jdbc(guildId).sql("INSERT INTO guild_message (guild_id, seq, author_id, text, posted_at) VALUES (:guild, :seq, :author, :text, :at)")
                .param("guild", guildId).param("seq", seq).param("author", author).param("text", trimmed)
                .param("at", Timestamp.from(now)).update();
        notifyInstances(guildId);
        return new Message(seq, guildId, author, trimmed, now);
    }

    /** Newest first, before message {@code before} when given. */
    public List<Message> history(UUID guildId, UUID reader, Long before, int limit) {
        if (latest(guildId) < 0) {
            throw ChatRefusal.guildNotFound();
        }
        requireMember(guildId, reader);
        return shards.forGuild(guildId).readOnly(() -> jdbc(guildId).sql("""
                SELECT guild_id, seq, author_id, text, posted_at FROM guild_message
                WHERE guild_id = :guild AND (CAST(:before AS bigint) IS NULL OR seq < :before)
                ORDER BY seq DESC LIMIT :limit""")
                .param("guild", guildId).param("before", before).param("limit", limit)
                .query(this::message).list());
    }

    /** Messages after {@code after}, oldest first: what a stream has not sent yet. */
    public List<Message> after(UUID guildId, long after, int limit) {
        return shards.forGuild(guildId).readOnly(() -> jdbc(guildId).sql("""
                SELECT guild_id, seq, author_id, text, posted_at FROM guild_message
                WHERE guild_id = :guild AND seq > :after ORDER BY seq LIMIT :limit""")
                .param("guild", guildId).param("after", after).param("limit", limit)
                .query(this::message).list());
    }

    /** The number of the guild's latest message (0 before the first), or -1 when the guild is gone. */
    public long latest(UUID guildId) {
        return shards.forGuild(guildId).readOnly(() -> jdbc(guildId).sql("SELECT last_message_seq FROM guild WHERE guild_id = :guild")
                .param("guild", guildId).query(Long.class).optional().orElse(-1L));
    }

    private Message message(ResultSet rs, int row) throws SQLException {
        return new Message(rs.getLong("seq"), rs.getObject("guild_id", UUID.class), rs.getObject("author_id", UUID.class),
                rs.getString("text"), rs.getTimestamp("posted_at").toInstant());
    }

    void requireMember(UUID guildId, UUID player) {
        if (guilds.roleOf(guildId, player).isEmpty()) {
            throw new ChatRefusal(ChatRefusal.Reason.NOT_A_MEMBER, "Only the guild's members can do this");
        }
    }

    /**
     * A member left or was kicked: every instance closes that player's streams of the guild. Runs
     * after the removal committed (a two-phase commit's participant cannot NOTIFY); a notice lost
     * to a crash just then leaves the stream open until the member check of its next message.
     */
    @EventListener
    void on(GuildMembershipEnded ended) {
        notifyInstances(ended.guildId());
    }

    private void notifyInstances(UUID guildId) {
        jdbc(guildId).sql("SELECT pg_notify(:channel, :guild)").param("channel", CHANNEL).param("guild", guildId.toString())
                .query(Object.class).single();
    }
}
