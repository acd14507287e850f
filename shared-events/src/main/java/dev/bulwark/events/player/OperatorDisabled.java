package dev.bulwark.events.player;

import java.time.Instant;
import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * An ADMIN disabled an operator account: every service refuses the tokens whose subject is
 * {@code subject} ({@code operator:<username>}), however long they were issued for. The envelope's
 * aggregate is {@link #aggregateOf(String)}, a UUID, as every consumer of player.events expects.
 */
public record OperatorDisabled(String subject, String disabledBy, String reason, Instant disabledAt) implements Payload {

    /** The stable aggregate id of an operator's events (name-based UUID of the subject). */
    public static UUID aggregateOf(String subject) {
        return UUID.nameUUIDFromBytes(subject.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
