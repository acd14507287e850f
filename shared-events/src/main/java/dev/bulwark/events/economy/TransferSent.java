package dev.bulwark.events.economy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * The sending side of a player-to-player transfer, on the sender's stream; the same transfer id
 * appears as {@link TransferReceived} on the recipient's stream, committed in the same transaction.
 *
 * @param currency positive amounts (GOLD only: GEM is not tradable)
 * @param items    positive quantities of tradable items
 */
public record TransferSent(UUID playerId, UUID transferId, UUID toPlayerId, Map<Currency, Long> currency,
        List<ItemQuantity> items) implements Payload {

    public TransferSent {
        currency = currency == null ? Map.of() : Map.copyOf(currency);
        items = items == null ? List.of() : List.copyOf(items);
    }
}
