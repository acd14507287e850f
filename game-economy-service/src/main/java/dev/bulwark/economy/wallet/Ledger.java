package dev.bulwark.economy.wallet;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Payload;
import dev.bulwark.platform.messaging.Outbox;

/**
 * Appends to a player's ledger stream. The sequence is the stream position, unique per player;
 * the same event leaves on {@code economy.events} through the outbox with that sequence, in
 * the caller's transaction.
 */
@Component
class Ledger {

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final Clock clock;

    Ledger(JdbcClient jdbc, Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    Envelope append(UUID playerId, long sequence, Payload event) {
        Envelope envelope = outbox.publish(event, playerId.toString(), sequence);
        jdbc.sql("""
                INSERT INTO ledger_event (player_id, sequence, event_id, type, payload, occurred_at)
                VALUES (:player, :sequence, :eventId, :type, CAST(:payload AS jsonb), :at)""")
                .param("player", playerId).param("sequence", sequence).param("eventId", envelope.eventId())
                .param("type", envelope.type())
                .param("payload", Contracts.MAPPER.writeValueAsString(envelope.payload()))
                .param("at", Timestamp.from(clock.instant()))
                .update();
        return envelope;
    }
}
