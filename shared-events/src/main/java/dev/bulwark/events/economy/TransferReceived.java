package dev.bulwark.events.economy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bulwark.events.Payload;

/** The receiving side of a transfer, on the recipient's stream (see {@link TransferSent}). */
public record TransferReceived(UUID playerId, UUID transferId, UUID fromPlayerId, Map<Currency, Long> currency,
        List<ItemQuantity> items) implements Payload {

    public TransferReceived {
        currency = currency == null ? Map.of() : Map.copyOf(currency);
        items = items == null ? List.of() : List.copyOf(items);
    }
}
