package dev.bulwark.social.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The inbox in PostgreSQL. Adding takes the player's advisory lock for the rest of the
 * transaction, so a player's notifications get their numbers in commit order, and signals
 * {@code pg_notify} on commit so that the instance holding the player's stream (any instance)
 * sends it at once.
 */
@Service
class Notifications {

    static final String CHANNEL = "player_notification";

    enum Kind {
        FRIEND_REQUEST, FRIEND_ACCEPTED, GUILD_JOINED, GUILD_REMOVED, GUILD_ROLE_CHANGED, GUILD_CREATED,
        PURCHASE_COMPLETED, PURCHASE_FAILED, OPERATOR_MESSAGE
    }

    /**
     * @param subjectId the other player, the guild or the hold the notification is about; null for an operator's message
     * @param seq       the position in the player's inbox (a stream's event id)
     */
    record Notification(UUID notificationId, long seq, Kind kind, UUID subjectId, String text, Instant createdAt,
            boolean read) {
    }

    record Page(List<Notification> notifications, long unread, String nextCursor) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final NotificationProperties properties;

    Notifications(JdbcClient jdbc, Clock clock, NotificationProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
    }

    /** Adds a notification in the caller's transaction (the consumer's, with its processed-message record). */
    @Transactional
    Notification add(UUID player, Kind kind, UUID subject, String text, UUID sourceEvent) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:player, 7))").param("player", player.toString())
                .query((rs, n) -> 1).list();
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        long seq = jdbc.sql("""
                INSERT INTO notification (player_id, seq, notification_id, kind, subject_id, text, source_event_id, created_at)
                SELECT :player, coalesce(max(seq), 0) + 1, :id, :kind, CAST(:subject AS uuid), CAST(:text AS text),
                    CAST(:source AS uuid), :now
                FROM notification WHERE player_id = :player
                RETURNING seq""")
                .param("player", player).param("id", id).param("kind", kind.name()).param("subject", subject)
                .param("text", text).param("source", sourceEvent).param("now", Timestamp.from(now))
                .query(Long.class).single();
        jdbc.sql("SELECT pg_notify(:channel, :player)").param("channel", CHANNEL).param("player", player.toString())
                .query((rs, n) -> 1).list();
        return new Notification(id, seq, kind, subject, text, now, false);
    }

    /** Newest first, before the cursor (a seq) when given; only unread ones when asked. */
    @Transactional(readOnly = true)
    Page page(UUID player, boolean unreadOnly, Long before, int limit) {
        List<Notification> list = jdbc.sql("SELECT * FROM notification WHERE player_id = :player"
                        + (unreadOnly ? " AND read_at IS NULL" : "") + (before == null ? "" : " AND seq < :before")
                        + " ORDER BY seq DESC LIMIT :limit")
                .param("player", player).param("before", before).param("limit", limit)
                .query((rs, n) -> notification(rs)).list();
        long unread = jdbc.sql("SELECT count(*) FROM notification WHERE player_id = :player AND read_at IS NULL")
                .param("player", player).query(Long.class).single();
        String next = list.size() == limit ? Long.toString(list.getLast().seq()) : null;
        return new Page(list, unread, next);
    }

    /** A player's notifications after {@code seq}, oldest first: what a stream has not sent yet. */
    List<Notification> after(UUID player, long seq, int limit) {
        return jdbc.sql("SELECT * FROM notification WHERE player_id = :player AND seq > :seq ORDER BY seq LIMIT :limit")
                .param("player", player).param("seq", seq).param("limit", limit).query((rs, n) -> notification(rs)).list();
    }

    long latest(UUID player) {
        return jdbc.sql("SELECT coalesce(max(seq), 0) FROM notification WHERE player_id = :player").param("player", player)
                .query(Long.class).single();
    }

    /** Marks one read (again: no change); false when the player has no such notification. */
    boolean markRead(UUID player, UUID notification) {
        return jdbc.sql("""
                UPDATE notification SET read_at = coalesce(read_at, :now) WHERE player_id = :player AND notification_id = :id""")
                .param("now", Timestamp.from(clock.instant())).param("player", player).param("id", notification).update() == 1;
    }

    /** Marks read the player's unread notifications of a kind about a subject (a request that was answered). */
    void markReadAbout(UUID player, Kind kind, UUID subject) {
        jdbc.sql("""
                UPDATE notification SET read_at = :now
                WHERE player_id = :player AND kind = :kind AND subject_id = :subject AND read_at IS NULL""")
                .param("now", Timestamp.from(clock.instant())).param("player", player).param("kind", kind.name())
                .param("subject", subject).update();
    }

    boolean has(UUID player, Kind kind, UUID subject) {
        return jdbc.sql("SELECT count(*) FROM notification WHERE player_id = :player AND kind = :kind AND subject_id = :subject")
                .param("player", player).param("kind", kind.name()).param("subject", subject).query(Long.class).single() > 0;
    }

    /** Forgets notifications past their retention; harmless when several replicas run it. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void forgetOld() {
        jdbc.sql("DELETE FROM notification WHERE created_at < :before")
                .param("before", Timestamp.from(clock.instant().minus(properties.retention()))).update();
    }

    private static Notification notification(ResultSet rs) throws SQLException {
        return new Notification(rs.getObject("notification_id", UUID.class), rs.getLong("seq"), Kind.valueOf(rs.getString("kind")),
                rs.getObject("subject_id", UUID.class), rs.getString("text"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("read_at") != null);
    }
}
