package dev.bulwark.economy.ledger;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Payload;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.WalletOpened;
import dev.bulwark.platform.messaging.Outbox;

/**
 * The only way to change a player's economy state. A writer first takes the player's stream
 * ({@link #lock}: the wallet row FOR UPDATE, which serialises writers per player), decides on
 * the locked state, then appends events: each gets the next position, goes into
 * {@code ledger_event} (unique (player_id, sequence)) and leaves on {@code economy.events}
 * through the outbox with that position, the projection rows change with it, and every
 * {@code snapshot-every} events a snapshot is taken — all in the caller's transaction.
 */
@Component
public class Ledger {

    private final Shards shards;
    private final Outbox outbox;
    private final Clock clock;
    private final Projector projector;
    private final Snapshots snapshots;

    Ledger(Shards shards, Outbox outbox, Clock clock, Projector projector, Snapshots snapshots) {
        this.shards = shards;
        this.outbox = outbox;
        this.clock = clock;
        this.projector = projector;
        this.snapshots = snapshots;
    }

    /** Starts a player's stream with {@code WalletOpened}; fails on the unique key if it exists. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Stream open(UUID playerId) {
        Stream stream = new Stream(playerId, 0, 0, 0, 0, 0);
        stream.append(new WalletOpened(playerId));
        return lock(playerId).orElseThrow();
    }

    /** Locks a player's stream until the transaction ends; empty if the player has no wallet. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Stream> lock(UUID playerId) {
        return shards.forPlayer(playerId).sql("""
                SELECT gold, gem, held_gold, held_gem, last_sequence FROM wallet
                WHERE player_id = :player FOR UPDATE""")
                .param("player", playerId)
                .query((rs, n) -> new Stream(playerId, rs.getLong("last_sequence"), rs.getLong("gold"),
                        rs.getLong("gem"), rs.getLong("held_gold"), rs.getLong("held_gem")))
                .optional();
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
            JdbcClient jdbc = shards.forPlayer(playerId);
            Envelope envelope = outbox.publish(event, playerId.toString(), sequence);
            jdbc.sql("""
                    INSERT INTO ledger_event (player_id, sequence, event_id, type, payload, occurred_at)
                    VALUES (:player, :sequence, :eventId, :type, CAST(:payload AS jsonb), :at)""")
                    .param("player", playerId).param("sequence", sequence).param("eventId", envelope.eventId())
                    .param("type", envelope.type())
                    .param("payload", Contracts.MAPPER.writeValueAsString(envelope.payload()))
                    .param("at", Timestamp.from(clock.instant()))
                    .update();
            projector.apply(jdbc, playerId, sequence, event);
            lastSequence = sequence;
            snapshots.takeIfDue(playerId, sequence);
            return envelope;
        }
    }
}
