package dev.bulwark.events.player;

import java.util.UUID;

import dev.bulwark.events.Payload;

/** An operator lifted the player's ban. */
public record PlayerUnbanned(UUID playerId) implements Payload {
}
