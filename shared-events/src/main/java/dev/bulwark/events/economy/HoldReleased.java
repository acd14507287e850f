package dev.bulwark.events.economy;

import java.util.UUID;

import dev.bulwark.events.Payload;

/** The held funds of a hold went back to the player's spendable balance. */
public record HoldReleased(UUID playerId, UUID holdId, Currency currency, long amount) implements Payload {
}
