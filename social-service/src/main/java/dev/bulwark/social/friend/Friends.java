package dev.bulwark.social.friend;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.events.social.FriendshipChanged;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.social.friend.FriendRules.Pair;

/**
 * Friendships, invitations and blocks. Every transition runs in one transaction that first locks
 * both players' {@code known_player} rows in id order, so that two opposite requests at the same
 * moment are serialised (the second one finds the first's invitation and accepts it) and no
 * transition deadlocks with another. What changes is decided by {@link FriendRules}; each
 * direction that changes is stored and publishes a {@link FriendshipChanged} on that player's
 * stream.
 */
@Service
class Friends {

    /** How a player sees another. */
    enum State {
        FRIEND, INVITE_SENT, INVITE_RECEIVED, BLOCKED
    }

    /** @param playerId the other player */
    record Relation(UUID playerId, State state) {
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
        return transition(player, other, FriendRules::request);
    }

    /** Accepts a pending invitation; without one this is refused rather than turned into a request. */
    @Transactional
    public Relation accept(UUID player, UUID other) {
        return transition(player, other, FriendRules::accept);
    }

    /** Removes a friend, withdraws an invitation or declines one. */
    @Transactional
    public void remove(UUID player, UUID other) {
        transition(player, other, FriendRules::remove);
    }

    /** Blocks: any friendship or invitation between the two ends, and no request passes either way. */
    @Transactional
    public Relation block(UUID player, UUID other) {
        return transition(player, other, FriendRules::block);
    }

    /** Lifts a block; the two are strangers afterwards (unless the other still blocks). */
    @Transactional
    public void unblock(UUID player, UUID other) {
        transition(player, other, FriendRules::unblock);
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

    /** Locks the pair, applies the rule to how the two see each other and stores what changed. */
    private Relation transition(UUID player, UUID other, UnaryOperator<Pair> rule) {
        lockPair(player, other);
        Pair before = new Pair(state(player, other).orElse(null), state(other, player).orElse(null));
        Pair after = rule.apply(before);
        store(player, other, before.mine(), after.mine());
        store(other, player, before.theirs(), after.theirs());
        return new Relation(other, after.mine());
    }

    /**
     * Locks both players in id order, which is also what proves both are known players (only
     * players seen in {@code PlayerRegistered} events can be befriended).
     */
    private void lockPair(UUID player, UUID other) {
        if (player.equals(other)) {
            throw new FriendRefusal(FriendRefusal.Reason.SELF_RELATION, "A player cannot befriend or block themselves");
        }
        List<UUID> locked = jdbc.sql("""
                SELECT player_id FROM known_player WHERE player_id IN (:player, :other)
                ORDER BY player_id FOR NO KEY UPDATE""")
                .param("player", player).param("other", other)
                .query(UUID.class).list();
        if (!locked.contains(player)) {
            throw FriendRefusal.notFound("Player " + player);
        }
        if (!locked.contains(other)) {
            throw FriendRefusal.notFound("Player " + other);
        }
    }

    private Optional<State> state(UUID player, UUID other) {
        return jdbc.sql("SELECT state FROM friend_relation WHERE player_id = :player AND other_id = :other")
                .param("player", player).param("other", other)
                .query((rs, n) -> State.valueOf(rs.getString("state"))).optional();
    }

    /** Writes one direction if it changed, and tells that player's stream; null is no relation. */
    private void store(UUID player, UUID other, State before, State after) {
        if (before == after) {
            return;
        }
        if (after == null) {
            jdbc.sql("DELETE FROM friend_relation WHERE player_id = :player AND other_id = :other")
                    .param("player", player).param("other", other).update();
        } else {
            jdbc.sql("""
                    INSERT INTO friend_relation (player_id, other_id, state, changed_at) VALUES (:player, :other, :state, now())
                    ON CONFLICT (player_id, other_id) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at""")
                    .param("player", player).param("other", other).param("state", after.name()).update();
        }
        outbox.publish(new FriendshipChanged(player, other, after == null ? "NONE" : after.name(), clock.instant()),
                player.toString());
    }
}
