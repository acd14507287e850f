package dev.bulwark.events.economy;

import java.util.UUID;

import dev.bulwark.events.Payload;

/** The held funds of a hold were spent: they leave the player's held balance for good (a sink). */
public record HoldCaptured(UUID playerId, UUID holdId, Currency currency, long amount) implements Payload {
}
