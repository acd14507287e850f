package dev.bulwark.platform.messaging;

import java.time.Clock;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Payload;

/**
 * Publishes a message as part of the caller's transaction: the envelope is stored in the event
 * publication registry with the business change, and sent to Kafka only after commit. A
 * rollback leaves neither. The event id and the sequence are fixed here, inside the
 * transaction, so that a resend is the same message. The envelope records the current trace
 * context, so consumers continue the trace of the request that caused it.
 */
public class Outbox {

    private final ApplicationEventPublisher publisher;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final MessageTracing tracing;

    public Outbox(ApplicationEventPublisher publisher, JdbcClient jdbc, Clock clock, MessageTracing tracing) {
        this.publisher = publisher;
        this.jdbc = jdbc;
        this.clock = clock;
        this.tracing = tracing;
    }

    /** Publishes with the aggregate's next outgoing sequence number. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Envelope publish(Payload payload, String aggregateId) {
        return publish(payload, aggregateId, nextSequence(aggregateId));
    }

    /** Publishes with a sequence the caller owns, e.g. the position of a ledger event. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Envelope publish(Payload payload, String aggregateId, long sequence) {
        Envelope envelope = Contracts.wrap(payload, aggregateId, sequence, clock.instant(),
                tracing.current());
        publisher.publishEvent(envelope);
        return envelope;
    }

    private long nextSequence(String aggregateId) {
        return jdbc.sql("""
                INSERT INTO outbox_sequence (aggregate_id, last_sequence) VALUES (:id, 1)
                ON CONFLICT (aggregate_id) DO UPDATE SET last_sequence = outbox_sequence.last_sequence + 1
                RETURNING last_sequence""")
                .param("id", aggregateId)
                .query(Long.class)
                .single();
    }
}
