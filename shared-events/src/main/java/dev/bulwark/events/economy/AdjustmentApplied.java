package dev.bulwark.events.economy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * An operator's correction or clawback of spendable currency and items; never below zero.
 *
 * @param adminId  the operator's client id, from their token
 * @param currency signed amounts per currency (negative = clawback)
 * @param items    signed item quantities
 */
public record AdjustmentApplied(UUID playerId, UUID adjustmentId, String adminId, Map<Currency, Long> currency,
        List<ItemQuantity> items, String reason) implements Payload {

    public AdjustmentApplied {
        currency = currency == null ? Map.of() : Map.copyOf(currency);
        items = items == null ? List.of() : List.copyOf(items);
    }
}
