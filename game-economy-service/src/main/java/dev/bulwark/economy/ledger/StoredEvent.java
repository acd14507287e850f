package dev.bulwark.economy.ledger;

import java.time.Instant;
import java.util.UUID;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.MessageType;
import dev.bulwark.events.Payload;
import tools.jackson.databind.JsonNode;

/** One event of a player's ledger, as stored. */
public record StoredEvent(long sequence, UUID eventId, String type, Instant occurredAt, JsonNode payload) {

    public Payload decode() {
        return Contracts.MAPPER.treeToValue(payload, MessageType.of(type).payloadType());
    }
}
