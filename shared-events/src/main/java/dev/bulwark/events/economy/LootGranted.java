package dev.bulwark.events.economy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * A game server granted loot to the player it holds (a source). Granted once per drop: the
 * drop id is the request's Idempotency-Key.
 *
 * @param serverId the lease holder that granted it
 * @param epoch    the lease epoch it was granted under (never lower than an earlier grant's)
 * @param currency positive amounts per currency; empty if none
 * @param items    positive item quantities; empty if none
 */
public record LootGranted(UUID playerId, String dropId, String serverId, long epoch, Map<Currency, Long> currency,
        List<ItemQuantity> items, String reason) implements Payload {

    public LootGranted {
        currency = currency == null ? Map.of() : Map.copyOf(currency);
        items = items == null ? List.of() : List.copyOf(items);
    }
}
