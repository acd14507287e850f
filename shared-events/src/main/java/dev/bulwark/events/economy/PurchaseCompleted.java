package dev.bulwark.events.economy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * A purchase of an offer with a local effect, as one atomic ledger event: the price left the
 * player's spendable balance and the offer's currency and items arrived. It carries the totals
 * (price × quantity), so that a replay needs no catalog.
 *
 * @param priceCurrency   the currency paid
 * @param priceAmount     the total paid
 * @param currencyGranted currency received (e.g. {@code gem-to-gold}); empty if none
 * @param itemsGranted    items received; empty if none
 */
public record PurchaseCompleted(UUID playerId, UUID purchaseId, String offerId, long quantity,
        Currency priceCurrency, long priceAmount, Map<Currency, Long> currencyGranted,
        List<ItemQuantity> itemsGranted) implements Payload {

    public PurchaseCompleted {
        currencyGranted = currencyGranted == null ? Map.of() : Map.copyOf(currencyGranted);
        itemsGranted = itemsGranted == null ? List.of() : List.copyOf(itemsGranted);
    }
}
