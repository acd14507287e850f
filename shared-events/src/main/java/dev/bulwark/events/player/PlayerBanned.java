package dev.bulwark.events.player;

import java.time.Instant;
import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * An operator banned the player: every service refuses the player's tokens until {@code until}
 * (null: until unbanned).
 */
public record PlayerBanned(UUID playerId, Instant until, String reason) implements Payload {
}
