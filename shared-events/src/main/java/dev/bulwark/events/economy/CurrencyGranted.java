package dev.bulwark.events.economy;

import java.util.Map;
import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * Currency entered the game for a player (a source: starter grant, loot, correction).
 *
 * @param amounts positive amounts per currency
 * @param reason  why, e.g. {@code STARTER}
 */
public record CurrencyGranted(UUID playerId, Map<Currency, Long> amounts, String reason) implements Payload {
}
