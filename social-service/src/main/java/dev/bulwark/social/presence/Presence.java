package dev.bulwark.social.presence;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Service;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Topics;
import dev.bulwark.events.player.AuthorityChanged;
import dev.bulwark.platform.messaging.Inbox;
import dev.bulwark.social.presence.PresenceRules.Row;
import dev.bulwark.social.presence.PresenceRules.State;

/**
 * Presence kept in PostgreSQL, so every instance (and an instance after a restart) answers
 * alike. A live stream keeps its player online for {@code grace} past each heartbeat; a stream
 * the client closes ends it at once unless another stream of the player is open here; an
 * instance that stops closes nothing, so its players stay online for the grace while their
 * clients reconnect. Game-server authority comes from player-core's {@code AuthorityChanged},
 * applied once per event and only forward in epochs.
 */
@Service
public class Presence {

    static final String CONSUMER = "social.presence";

    /** What a friend sees. */
    record View(UUID playerId, State state, Instant lastSeen) {
    }

    private final JdbcClient jdbc;
    private final Inbox inbox;
    private final Clock clock;
    private final Duration grace;

    Presence(JdbcClient jdbc, Inbox inbox, Clock clock, @Value("${bulwark.social.presence.grace:45s}") Duration grace) {
        this.jdbc = jdbc;
        this.inbox = inbox;
        this.clock = clock;
        this.grace = grace;
    }

    /** These players have a live stream here now (a stream opened, or the streams' heartbeat). */
    public void seen(Collection<UUID> players) {
        if (players.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<UUID> all = List.copyOf(players);
        for (int from = 0; from < all.size(); from += 1_000) { // within a statement's parameter limit
            jdbc.sql("""
                    INSERT INTO presence (player_id, online_until, last_seen)
                    SELECT p, :until, :now FROM unnest(ARRAY[:players]::uuid[]) AS p
                    ON CONFLICT (player_id) DO UPDATE SET online_until = EXCLUDED.online_until, last_seen = EXCLUDED.last_seen""")
                    .param("players", all.subList(from, Math.min(all.size(), from + 1_000)))
                    .param("until", Timestamp.from(now.plus(grace))).param("now", Timestamp.from(now)).update();
        }
    }

    /** The player's last stream here closed while this instance runs: offline now (another instance's heartbeat says otherwise). */
    public void gone(UUID player) {
        Instant now = clock.instant();
        jdbc.sql("UPDATE presence SET online_until = :now, last_seen = :now, away = FALSE WHERE player_id = :player")
                .param("now", Timestamp.from(now)).param("player", player).update();
    }

    void setAway(UUID player, boolean away) {
        jdbc.sql("""
                INSERT INTO presence (player_id, away) VALUES (:player, :away)
                ON CONFLICT (player_id) DO UPDATE SET away = EXCLUDED.away""")
                .param("player", player).param("away", away).update();
    }

    View of(UUID player) {
        Instant now = clock.instant();
        Row row = jdbc.sql("SELECT online_until, away, game_server IS NOT NULL, in_game_until, last_seen FROM presence WHERE player_id = :player")
                .param("player", player).query((rs, n) -> new Row(instant(rs.getTimestamp(1)), rs.getBoolean(2),
                        rs.getBoolean(3), instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5))))
                .optional().orElse(null);
        return new View(player, PresenceRules.state(row, now), PresenceRules.lastSeen(row, now));
    }

    /** The player's friends, each with their presence. */
    List<View> friendsOf(UUID player) {
        return jdbc.sql("SELECT other_id FROM friend_relation WHERE player_id = :player AND state = 'FRIEND' ORDER BY other_id")
                .param("player", player).query(UUID.class).list().stream().map(this::of).toList();
    }

    /** True when {@code viewer} and {@code player} are friends (on the player's side of the relation). */
    boolean friends(UUID player, UUID viewer) {
        return jdbc.sql("SELECT count(*) FROM friend_relation WHERE player_id = :player AND other_id = :viewer AND state = 'FRIEND'")
                .param("player", player).param("viewer", viewer).query(Long.class).single() > 0;
    }

    @KafkaListener(topics = Topics.Names.PLAYER_EVENTS, groupId = "social-presence")
    void on(ConsumerRecord<String, byte[]> record) {
        inbox.accept(CONSUMER, Contracts.fromBytes(record.value()), Inbox.Ordering.ONCE, this::apply);
    }

    void apply(Envelope envelope) {
        if (!(Contracts.payload(envelope) instanceof AuthorityChanged changed)) {
            return;
        }
        boolean released = changed.change() == AuthorityChanged.Change.RELEASED;
        // Epochs only move forward: a late CLAIMED of an older epoch does not undo a newer release or claim.
        jdbc.sql("""
                INSERT INTO presence (player_id, in_game_until, game_server, authority_epoch, last_seen)
                VALUES (:player, :until, :server, :epoch, :seen)
                ON CONFLICT (player_id) DO UPDATE SET in_game_until = EXCLUDED.in_game_until,
                    game_server = EXCLUDED.game_server, authority_epoch = EXCLUDED.authority_epoch,
                    last_seen = greatest(presence.last_seen, EXCLUDED.last_seen)
                WHERE presence.authority_epoch < EXCLUDED.authority_epoch
                   OR (presence.authority_epoch = EXCLUDED.authority_epoch AND :released)""")
                .param("player", changed.playerId())
                .param("until", released || changed.expiresAt() == null ? null : Timestamp.from(changed.expiresAt()))
                .param("server", released ? null : changed.serverId()).param("epoch", changed.epoch())
                .param("seen", Timestamp.from(envelope.occurredAt())).param("released", released).update();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
