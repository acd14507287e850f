package dev.bulwark.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapping of the contracts, shared by producers, consumers and the golden tests,
 * so that what a service writes is exactly what the others read.
 */
public final class Contracts {

    /** Tolerates fields it does not know: contracts change additively. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Contracts() {
    }

    /** Wraps a payload in a new envelope with a fresh event id. */
    public static Envelope wrap(Payload payload, String aggregateId, long sequence, Instant occurredAt,
            Map<String, String> trace) {
        return wrap(UUID.randomUUID(), payload, aggregateId, sequence, occurredAt, trace);
    }

    public static Envelope wrap(UUID eventId, Payload payload, String aggregateId, long sequence,
            Instant occurredAt, Map<String, String> trace) {
        MessageType type = MessageType.of(payload.getClass());
        return new Envelope(eventId, type.id(), type.schemaVersion(), aggregateId, sequence, occurredAt, trace,
                MAPPER.valueToTree(payload));
    }

    /** Decodes the payload by its logical type id. */
    public static Payload payload(Envelope envelope) {
        return MAPPER.treeToValue(envelope.payload(), MessageType.of(envelope.type()).payloadType());
    }

    public static byte[] toBytes(Envelope envelope) {
        return MAPPER.writeValueAsBytes(envelope);
    }

    public static Envelope fromBytes(byte[] bytes) {
        return MAPPER.readValue(bytes, Envelope.class);
    }
}
