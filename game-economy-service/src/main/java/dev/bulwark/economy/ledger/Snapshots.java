package dev.bulwark.economy.ledger;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.events.Contracts;

/**
 * Snapshots and replay. A snapshot is the fold of the ledger up to a position, taken every
 * {@code snapshot-every} events inside the appending transaction; it is computed by replay
 * (previous snapshot + events), never copied from the projection rows, so that comparing a
 * replay with the projection checks two independent computations.
 */
@Component
class Snapshots {

    private static final int PAGE = 500;

    private final Shards shards;
    private final PlayerStore store;
    private final LedgerProperties properties;
    private final Clock clock;

    Snapshots(Shards shards, PlayerStore store, LedgerProperties properties, Clock clock) {
        this.shards = shards;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    void takeIfDue(UUID playerId, long sequence) {
        if (sequence % properties.snapshotEvery() != 0) {
            return;
        }
        PlayerState state = replay(playerId, sequence);
        shards.forPlayer(playerId).sql("""
                INSERT INTO ledger_snapshot (player_id, sequence, state, taken_at)
                VALUES (:player, :sequence, CAST(:state AS jsonb), :at)""")
                .param("player", playerId).param("sequence", sequence)
                .param("state", Contracts.MAPPER.writeValueAsString(state))
                .param("at", Timestamp.from(clock.instant()))
                .update();
    }

    /** The player's state replayed from the newest snapshot plus the events after it. */
    public PlayerState replay(UUID playerId) {
        return shards.forPlayer(playerId).readOnly(() -> replay(playerId, Long.MAX_VALUE));
    }

    /** The state at a position, from the newest snapshot at or before it plus the events up to it. */
    PlayerState replay(UUID playerId, long atMost) {
        return fold(playerId, latest(playerId, atMost).orElse(PlayerState.empty()), atMost);
    }

    /** The player's state replayed from the first event, ignoring snapshots. */
    public PlayerState replayFromStart(UUID playerId) {
        return shards.forPlayer(playerId).readOnly(() -> fold(playerId, PlayerState.empty(), Long.MAX_VALUE));
    }

    /** Positions at which snapshots exist, oldest first. */
    public List<Long> positions(UUID playerId) {
        return shards.forPlayer(playerId)
                .sql("SELECT sequence FROM ledger_snapshot WHERE player_id = :player ORDER BY sequence")
                .param("player", playerId).query(Long.class).list();
    }

    private PlayerState fold(UUID playerId, PlayerState from, long atMost) {
        PlayerState state = from;
        List<StoredEvent> page;
        do {
            page = store.eventsBetween(playerId, state.lastSequence(), atMost, PAGE);
            for (StoredEvent event : page) {
                state = state.apply(event.sequence(), event.decode());
            }
        } while (page.size() == PAGE);
        return state;
    }

    private Optional<PlayerState> latest(UUID playerId, long atMost) {
        return shards.forPlayer(playerId).sql("""
                SELECT state::text FROM ledger_snapshot WHERE player_id = :player AND sequence <= :atMost
                ORDER BY sequence DESC LIMIT 1""")
                .param("player", playerId).param("atMost", atMost)
                .query(String.class).optional()
                .map(json -> Contracts.MAPPER.readValue(json, PlayerState.class));
    }
}
