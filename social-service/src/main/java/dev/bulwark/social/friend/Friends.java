package dev.bulwark.social.friend;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.events.social.FriendshipChanged;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.platform.web.ApiException;

/**
 * Friendships, invitations and blocks. Every transition runs in one transaction that first locks
 * both players' {@code known_player} rows in id order, so that two opposite requests at the same
 * moment are serialised (the second one finds the first's invitation and accepts it) and no
 * transition deadlocks with another. Each direction that changes publishes a
 * {@link FriendshipChanged} on that player's stream.
 */
@Service
public class Friends {

    /** How a player sees another. */
    public enum State {
        FRIEND, INVITE_SENT, INVITE_RECEIVED, BLOCKED
    }

    /** @param playerId the other player */
    public record Relation(UUID playerId, State state) {
    }

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final Clock clock;

    Friends(JdbcClient jdbc, Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Sends an invitation, or accepts the other's pending one. Repeating a request changes nothing. */
    @Transactional
    public Relation request(UUID player, UUID other) {
        lockPair(player, other);
        Optional<State> mine = state(player, other);
        Optional<State> theirs = state(other, player);
        if (theirs.orElse(null) == State.BLOCKED) {
            throw blocked("This player does not accept requests from you");
        }
        if (mine.orElse(null) == State.BLOCKED) {
            throw blocked("You blocked this player; unblock first");
        }
        if (mine.isPresent() && mine.get() != State.INVITE_RECEIVED) {
            return new Relation(other, mine.get());
        }
        if (mine.isPresent()) {
            return befriend(player, other);
        }
        set(player, other, State.INVITE_SENT);
        set(other, player, State.INVITE_RECEIVED);
        return new Relation(other, State.INVITE_SENT);
    }

    /** Accepts a pending invitation; without one this is refused rather than turned into a request. */
    @Transactional
    public Relation accept(UUID player, UUID other) {
        lockPair(player, other);
        State mine = state(player, other).orElse(null);
        if (mine == State.FRIEND) {
            return new Relation(other, State.FRIEND);
        }
        if (mine != State.INVITE_RECEIVED) {
            throw ApiException.conflict("no-invitation", "There is no invitation from this player to accept");
        }
        return befriend(player, other);
    }

    private Relation befriend(UUID player, UUID other) {
        set(player, other, State.FRIEND);
        set(other, player, State.FRIEND);
        return new Relation(other, State.FRIEND);
    }

    /** Removes a friend, withdraws an invitation or declines one. */
    @Transactional
    public void remove(UUID player, UUID other) {
        lockPair(player, other);
        State mine = state(player, other).orElseThrow(() -> ApiException.notFound("Friendship or invitation"));
        if (mine == State.BLOCKED) {
            throw ApiException.conflict("blocked", "This player is blocked; unblock them instead");
        }
        clear(player, other);
        clear(other, player);
    }

    /** Blocks: any friendship or invitation between the two ends, and no request passes either way. */
    @Transactional
    public Relation block(UUID player, UUID other) {
        lockPair(player, other);
        if (state(player, other).orElse(null) == State.BLOCKED) {
            return new Relation(other, State.BLOCKED);
        }
        if (state(other, player).orElse(null) != State.BLOCKED) {
            clear(other, player);
        }
        set(player, other, State.BLOCKED);
        return new Relation(other, State.BLOCKED);
    }

    /** Lifts a block; the two are strangers afterwards (unless the other still blocks). */
    @Transactional
    public void unblock(UUID player, UUID other) {
        lockPair(player, other);
        if (state(player, other).orElse(null) != State.BLOCKED) {
            throw ApiException.notFound("Block");
        }
        clear(player, other);
    }

    /** A page of relations ordered by the other player's id, after {@code after} when given. */
    @Transactional(readOnly = true)
    public List<Relation> list(UUID player, State state, UUID after, int limit) {
        return jdbc.sql("""
                SELECT other_id, state FROM friend_relation
                WHERE player_id = :player
                  AND (CAST(:state AS text) IS NULL OR state = :state)
                  AND (CAST(:after AS uuid) IS NULL OR other_id > :after)
                ORDER BY other_id LIMIT :limit""")
                .param("player", player).param("state", state == null ? null : state.name())
                .param("after", after).param("limit", limit)
                .query((rs, n) -> new Relation(rs.getObject("other_id", UUID.class), State.valueOf(rs.getString("state"))))
                .list();
    }

    /**
     * Locks both players in id order, which is also what proves both are known players (only
     * players seen in {@code PlayerRegistered} events can be befriended).
     */
    private void lockPair(UUID player, UUID other) {
        if (player.equals(other)) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "self-relation",
                    "A player cannot befriend or block themselves");
        }
        List<UUID> locked = jdbc.sql("""
                SELECT player_id FROM known_player WHERE player_id IN (:player, :other)
                ORDER BY player_id FOR NO KEY UPDATE""")
                .param("player", player).param("other", other)
                .query(UUID.class).list();
        if (!locked.contains(player)) {
            throw ApiException.notFound("Player " + player);
        }
        if (!locked.contains(other)) {
            throw ApiException.notFound("Player " + other);
        }
    }

    private Optional<State> state(UUID player, UUID other) {
        return jdbc.sql("SELECT state FROM friend_relation WHERE player_id = :player AND other_id = :other")
                .param("player", player).param("other", other)
                .query((rs, n) -> State.valueOf(rs.getString("state"))).optional();
    }

    private void set(UUID player, UUID other, State state) {
        jdbc.sql("""
                INSERT INTO friend_relation (player_id, other_id, state, changed_at) VALUES (:player, :other, :state, now())
                ON CONFLICT (player_id, other_id) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at""")
                .param("player", player).param("other", other).param("state", state.name()).update();
        changed(player, other, state.name());
    }

    private void clear(UUID player, UUID other) {
        int deleted = jdbc.sql("DELETE FROM friend_relation WHERE player_id = :player AND other_id = :other")
                .param("player", player).param("other", other).update();
        if (deleted > 0) {
            changed(player, other, "NONE");
        }
    }

    private void changed(UUID player, UUID other, String state) {
        outbox.publish(new FriendshipChanged(player, other, state, clock.instant()), player.toString());
    }

    private static ApiException blocked(String detail) {
        return ApiException.conflict("blocked", detail);
    }
}
