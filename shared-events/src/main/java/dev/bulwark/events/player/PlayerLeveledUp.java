package dev.bulwark.events.player;

import java.util.UUID;

import dev.bulwark.events.Payload;

/** Experience took the player past one or more level thresholds (the curve is in docs/decisions.md). */
public record PlayerLeveledUp(UUID playerId, int previousLevel, int level, long experience) implements Payload {
}
