package dev.bulwark.events.player;

import java.util.UUID;

import dev.bulwark.events.Payload;

/** The display name changed (through the {@code name-change} offer). */
public record PlayerRenamed(UUID playerId, String previousDisplayName, String displayName) implements Payload {
}
