package dev.bulwark.economy.ledger;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Payload;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.economy.sharding.Shard;
import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.events.economy.WalletOpened;

/**
 * The only way to change a player's economy state. A writer first takes the player's stream
 * ({@link #lock}: the wallet row FOR UPDATE, which serialises writers per player), decides on
 * the locked state, then appends events: each gets the next position, goes into
 * {@code ledger_event} (unique (player_id, sequence)) and leaves on {@code economy.events}
 * through the outbox with that position, the projection rows change with it, and every
 * {@code snapshot-every} events a snapshot is taken — all in the caller's transaction on the
 * player's shard ({@link #write}), whose outbox carries the event. The lock also checks that the
 * shard owns the player under the ring it recorded: a router with a stale ring is refused there,
 * inside the transaction, and reloads.
 */
@Component
public class Ledger {

    private final Shards shards;
    private final Clock clock;
    private final Projector projector;
    private final Snapshots snapshots;

    Ledger(Shards shards, Clock clock, Projector projector, Snapshots snapshots) {
        this.shards = shards;
        this.clock = clock;
        this.projector = projector;
        this.snapshots = snapshots;
    }

    /**
     * Runs {@code work} in a transaction on the player's shard (joining one already open there):
     * where every change of the player's stream happens.
     */
    public <T> T write(UUID playerId, Supplier<T> work) {
        return shards.forPlayer(playerId).inTransaction(work);
    }

    /** Starts a player's stream with {@code WalletOpened}; fails on the unique key if it exists. */
    public Stream open(UUID playerId) {
        Stream stream = new Stream(playerId, 0, 0, 0, 0, 0);
        stream.append(new WalletOpened(playerId));
        return lock(playerId).orElseThrow();
    }

    /**
     * Locks a player's stream until the transaction ends; empty if the player has no wallet.
     * Refused (503 {@code shard-moved}, the router reloads) when the shard does not own the player.
     */
    public Optional<Stream> lock(UUID playerId) {
        Shard shard = shards.forPlayer(playerId);
        shard.requireTransaction();
        record Locked(boolean owned, Stream stream) {
        }
        Optional<Locked> locked = shard.sql("SELECT gold, gem, held_gold, held_gem, last_sequence, " + Shards.OWNS_POINT
                + " AS owned FROM wallet WHERE player_id = :player FOR UPDATE")
                .param("player", playerId).param("ring_point", Shards.point(playerId))
                .query((rs, n) -> new Locked(rs.getBoolean("owned"), new Stream(playerId, rs.getLong("last_sequence"),
                        rs.getLong("gold"), rs.getLong("gem"), rs.getLong("held_gold"), rs.getLong("held_gem"))))
                .optional();
        if (locked.isPresent() && !locked.get().owned()) {
            throw shards.notOwned(shard, playerId);
        }
        return locked.map(Locked::stream);
    }

    /** A player's stream, locked by this transaction, with the wallet as it was when locked. */
    public final class Stream {

        private final UUID playerId;
        private long lastSequence;
        private final long gold;
        private final long gem;
        private final long heldGold;
        private final long heldGem;

        private Stream(UUID playerId, long lastSequence, long gold, long gem, long heldGold, long heldGem) {
            this.playerId = playerId;
            this.lastSequence = lastSequence;
            this.gold = gold;
            this.gem = gem;
            this.heldGold = heldGold;
            this.heldGem = heldGem;
        }

        public UUID playerId() {
            return playerId;
        }

        public long lastSequence() {
            return lastSequence;
        }

        /** Spendable balance when the stream was locked. */
        public long balance(Currency currency) {
            return currency == Currency.GOLD ? gold : gem;
        }

        public long held(Currency currency) {
            return currency == Currency.GOLD ? heldGold : heldGem;
        }

        /** Appends at the next position and updates the projection; returns the event as published. */
        public Envelope append(Payload event) {
            long sequence = lastSequence + 1;
            Shard shard = shards.forPlayer(playerId);
            shard.requireTransaction();
            Envelope envelope = shard.outbox().publish(event, playerId.toString(), sequence);
            shard.sql("""
                    INSERT INTO ledger_event (player_id, sequence, event_id, type, payload, occurred_at)
                    VALUES (:player, :sequence, :eventId, :type, CAST(:payload AS jsonb), :at)""")
                    .param("player", playerId).param("sequence", sequence).param("eventId", envelope.eventId())
                    .param("type", envelope.type())
                    .param("payload", Contracts.MAPPER.writeValueAsString(envelope.payload()))
                    .param("at", Timestamp.from(clock.instant()))
                    .update();
            projector.apply(shard.jdbc(), playerId, sequence, event);
            lastSequence = sequence;
            snapshots.takeIfDue(playerId, sequence);
            return envelope;
        }
    }
}
