package dev.bulwark.economy.movement;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.bulwark.economy.catalog.Catalog;
import dev.bulwark.economy.catalog.Catalog.Item;
import dev.bulwark.economy.ledger.Ledger;
import dev.bulwark.economy.ledger.PlayerStore;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.ItemQuantity;

/**
 * Checks shared by everything that moves currency and items in or out of a player's stream
 * (loot, consumptions, transfers, adjustments, purchases): requests are normalised first (one line
 * per item, known items, no zero lines), then checked against the locked stream before anything is
 * appended. The rules themselves are {@link MovementRules}, on values; this reads the values.
 */
@Component
public class Movements {

    private final MovementRules rules;
    private final PlayerStore store;

    Movements(Catalog catalog, PlayerStore store) {
        this.rules = new MovementRules(catalog::item);
        this.store = store;
    }

    /** Currency and items of one request, each line merged and non-zero. */
    public record Change(Map<Currency, Long> currency, List<ItemQuantity> items) {

        /** Nothing at all. */
        public static final Change NONE = new Change(Map.of(), List.of());

        /** The quantity of one item in this change (0 if absent). */
        public long quantity(String itemId) {
            return items.stream().filter(i -> i.itemId().equals(itemId)).mapToLong(ItemQuantity::quantity).sum();
        }

        public boolean isEmpty() {
            return currency.isEmpty() && items.isEmpty();
        }

        /** The part that enters the player's hands (positive lines). */
        public Change incoming() {
            return part(1);
        }

        /** The part that leaves, as positive amounts (negative lines, negated). */
        public Change outgoing() {
            return part(-1);
        }

        private Change part(int sign) {
            Map<Currency, Long> c = new EnumMap<>(Currency.class);
            currency.forEach((k, v) -> {
                if (Long.signum(v) == sign) {
                    c.put(k, Math.abs(v));
                }
            });
            List<ItemQuantity> i = items.stream().filter(q -> Long.signum(q.quantity()) == sign)
                    .map(q -> new ItemQuantity(q.itemId(), Math.abs(q.quantity()))).toList();
            return new Change(c, i);
        }
    }

    /** {@link MovementRules#normalise}: one merged, non-zero line per known item. */
    public Change normalise(Map<Currency, Long> currency, List<ItemQuantity> items, boolean signed) {
        return rules.normalise(currency, items, signed);
    }

    /** The catalog entry of an item the request already named (see {@link #normalise}). */
    public Item item(String itemId) {
        return rules.item(itemId);
    }

    /** {@link MovementRules#checkCanExchange} with nothing going out. */
    public void checkCanReceive(Ledger.Stream stream, Change incoming) {
        rules.checkCanExchange(holdings(stream), Change.NONE, incoming);
    }

    /** {@link MovementRules#checkCanExchange} on the locked stream. */
    public void checkCanExchange(Ledger.Stream stream, Change outgoing, Change incoming) {
        rules.checkCanExchange(holdings(stream), outgoing, incoming);
    }

    /** {@link MovementRules#checkCanGive} on the locked stream. */
    public void checkCanGive(Ledger.Stream stream, Change outgoing) {
        rules.checkCanGive(holdings(stream), outgoing);
    }

    /** The locked stream's amounts; item quantities come from the inventory rows, which the same lock guards. */
    private MovementRules.Holdings holdings(Ledger.Stream stream) {
        return new MovementRules.Holdings() {
            @Override
            public long balance(Currency currency) {
                return stream.balance(currency);
            }

            @Override
            public long held(Currency currency) {
                return stream.held(currency);
            }

            @Override
            public long quantity(String itemId) {
                return store.itemQuantity(stream.playerId(), itemId);
            }
        };
    }
}
