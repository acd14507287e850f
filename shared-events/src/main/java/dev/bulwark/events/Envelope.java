package dev.bulwark.events;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * What travels on every topic. The event id and the per-aggregate sequence are assigned inside
 * the business transaction that caused the message, never at send time, so a redelivered
 * message is recognisably the same message and consumers can order by sequence.
 *
 * @param eventId       unique id of this message; consumers de-duplicate on it
 * @param type          logical type id (see {@link MessageType}), never a class name
 * @param schemaVersion version of the payload schema; contracts change additively
 * @param aggregateId   the aggregate the message is about; also the record key
 * @param sequence      position in the aggregate's stream, starting at 1
 * @param occurredAt    when the business transaction happened
 * @param trace         W3C trace context ({@code traceparent}, {@code tracestate}), may be empty
 * @param payload       the body, decoded with {@link Contracts#payload(Envelope)}
 */
public record Envelope(
        UUID eventId,
        String type,
        int schemaVersion,
        String aggregateId,
        long sequence,
        Instant occurredAt,
        Map<String, String> trace,
        JsonNode payload) {

    public Envelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
        trace = trace == null ? Map.of() : Map.copyOf(trace);
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1, was " + sequence);
        }
    }

    /** The topic this message belongs on, from its registered type. */
    public Topic topic() {
        return MessageType.of(type).topicFor(Contracts.payload(this));
    }
}
