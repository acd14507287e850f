package dev.bulwark.events.player;

import java.time.Instant;
import java.util.UUID;

import dev.bulwark.events.Payload;

/** A new account exists. The economy opens its wallet; social learns the player is real. */
public record PlayerRegistered(UUID playerId, String username, String displayName, Instant registeredAt)
        implements Payload {
}
