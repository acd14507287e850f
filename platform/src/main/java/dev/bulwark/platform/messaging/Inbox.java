package dev.bulwark.platform.messaging;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;

/**
 * Makes a consumer idempotent and, where asked, ordered. The record of a processed message
 * commits in the same transaction as its effect: after a crash between the database commit and
 * the offset commit, the redelivered message is recognised and has no second effect.
 *
 * <p>Outbox delivery is at-least-once: the relay sends an aggregate's messages in order, but a
 * crash resends and a retried send can arrive after its successor, so {@link Ordering#IN_SEQUENCE}
 * applies an aggregate's messages strictly by sequence: the next one is applied, a later one is parked
 * until the gap is filled, an older one is ignored.
 *
 * <p>Each effect runs in the trace recorded in its envelope ({@link MessageTracing}).
 */
public class Inbox {

    /** How a consumer wants an aggregate's messages. */
    public enum Ordering {
        /** Strictly by sequence per aggregate, parking early arrivals. */
        IN_SEQUENCE,
        /** Any order; each message once (for commands and replies, keyed by their own ids). */
        ONCE
    }

    /** What happened to a delivered message. */
    public enum Outcome {
        APPLIED, DUPLICATE, PARKED
    }

    private static final Logger log = LoggerFactory.getLogger(Inbox.class);

    private final JdbcClient jdbc;
    private final MessageTracing tracing;

    public Inbox(JdbcClient jdbc, MessageTracing tracing) {
        this.jdbc = jdbc;
        this.tracing = tracing;
    }

    @Transactional(propagation = Propagation.REQUIRED)
    public Outcome accept(String consumer, Envelope envelope, Ordering ordering, Consumer<Envelope> effect) {
        boolean fresh = jdbc.sql("""
                INSERT INTO processed_message (consumer, event_id) VALUES (:consumer, :eventId)
                ON CONFLICT DO NOTHING""")
                .param("consumer", consumer)
                .param("eventId", envelope.eventId())
                .update() == 1;
        if (!fresh) {
            log.debug("{} ignores redelivered {}", consumer, envelope.eventId());
            return Outcome.DUPLICATE;
        }
        if (ordering == Ordering.ONCE) {
            apply(consumer, envelope, effect);
            return Outcome.APPLIED;
        }
        return acceptInSequence(consumer, envelope, effect);
    }

    private Outcome acceptInSequence(String consumer, Envelope envelope, Consumer<Envelope> effect) {
        String aggregate = envelope.aggregateId();
        jdbc.sql("""
                INSERT INTO consumer_cursor (consumer, aggregate_id, last_sequence) VALUES (:consumer, :aggregate, 0)
                ON CONFLICT DO NOTHING""")
                .param("consumer", consumer).param("aggregate", aggregate).update();
        long last = jdbc.sql("""
                SELECT last_sequence FROM consumer_cursor
                WHERE consumer = :consumer AND aggregate_id = :aggregate FOR UPDATE""")
                .param("consumer", consumer).param("aggregate", aggregate)
                .query(Long.class).single();

        if (envelope.sequence() <= last) {
            log.debug("{} ignores {} #{}: already at #{}", consumer, aggregate, envelope.sequence(), last);
            return Outcome.DUPLICATE;
        }
        if (envelope.sequence() > last + 1) {
            jdbc.sql("""
                    INSERT INTO parked_message (consumer, aggregate_id, sequence, envelope)
                    VALUES (:consumer, :aggregate, :sequence, :envelope) ON CONFLICT DO NOTHING""")
                    .param("consumer", consumer).param("aggregate", aggregate)
                    .param("sequence", envelope.sequence())
                    .param("envelope", new String(Contracts.toBytes(envelope)))
                    .update();
            log.debug("{} parks {} #{} until #{} arrives", consumer, aggregate, envelope.sequence(), last + 1);
            return Outcome.PARKED;
        }

        Envelope next = envelope;
        while (next != null) {
            // An unparked envelope continues its own trace, not the one of the message that freed it.
            apply(consumer, next, effect);
            last = next.sequence();
            next = unpark(consumer, aggregate, last + 1);
        }
        jdbc.sql("UPDATE consumer_cursor SET last_sequence = :last WHERE consumer = :consumer AND aggregate_id = :aggregate")
                .param("last", last).param("consumer", consumer).param("aggregate", aggregate).update();
        return Outcome.APPLIED;
    }

    private void apply(String consumer, Envelope envelope, Consumer<Envelope> effect) {
        tracing.handle(consumer, envelope, () -> {
            effect.accept(envelope);
            return null;
        });
    }

    private Envelope unpark(String consumer, String aggregate, long sequence) {
        return jdbc.sql("""
                DELETE FROM parked_message WHERE consumer = :consumer AND aggregate_id = :aggregate AND sequence = :sequence
                RETURNING envelope""")
                .param("consumer", consumer).param("aggregate", aggregate).param("sequence", sequence)
                .query(String.class).optional()
                .map(json -> Contracts.fromBytes(json.getBytes()))
                .orElse(null);
    }
}
