package dev.bulwark.platform.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.MessageType;
import dev.bulwark.events.Payload;

/**
 * Publishes a message as part of the caller's transaction: one row in {@code outbox_message},
 * committed with the business change; the {@link OutboxRelay} sends it to Kafka later, from its
 * own thread. A rollback leaves neither, and the request never waits on Kafka. The event id and
 * the sequence are fixed here, inside the transaction, so that a resend is the same message.
 * The envelope records the current trace context, so consumers continue the trace of the
 * request that caused it.
 */
public class Outbox {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final MessageTracing tracing;
    private final Runnable committed;

    /** @param committed told after a transaction that published commits (wakes the relay) */
    public Outbox(JdbcClient jdbc, Clock clock, MessageTracing tracing, Runnable committed) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.tracing = tracing;
        this.committed = committed;
    }

    /**
     * Publishes with the aggregate's next outgoing sequence number, for messages that consumers
     * apply in sequence per aggregate (a player's or a guild's events).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Envelope publish(Payload payload, String aggregateId) {
        return publish(payload, aggregateId, nextSequence(aggregateId));
    }

    /** Publishes with a sequence the caller owns, e.g. the position of a ledger event. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Envelope publish(Payload payload, String aggregateId, long sequence) {
        Envelope envelope = Contracts.wrap(payload, aggregateId, sequence, clock.instant(), tracing.current());
        insert(envelope, payload, null);
        return envelope;
    }

    /**
     * Publishes a message that consumers take once, in any order (saga commands and replies,
     * keyed by their saga): its sequence is its outbox position, unique and increasing, so no
     * per-aggregate counter row is kept for keys that live only as long as a saga.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Envelope publishUnordered(Payload payload, String aggregateId) {
        long position = jdbc.sql("SELECT nextval('outbox_message_position_seq')").query(Long.class).single();
        Envelope envelope = Contracts.wrap(payload, aggregateId, position, clock.instant(), tracing.current());
        insert(envelope, payload, position);
        return envelope;
    }

    /**
     * The topic comes from the payload in hand: {@link Envelope#topic()} would decode the payload
     * back from the envelope's JSON tree, on every write's request thread (docs/benchmarks.md).
     */
    private void insert(Envelope envelope, Payload payload, Long position) {
        jdbc.sql("""
                INSERT INTO outbox_message (position, topic, message_key, envelope)
                VALUES (coalesce(:position, nextval('outbox_message_position_seq')), :topic, :key, :envelope)""")
                .param("position", position, java.sql.Types.BIGINT)
                .param("topic", MessageType.of(envelope.type()).topicFor(payload).name())
                .param("key", envelope.aggregateId())
                .param("envelope", new String(Contracts.toBytes(envelope), StandardCharsets.UTF_8))
                .update();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    committed.run();
                }
            });
        }
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
