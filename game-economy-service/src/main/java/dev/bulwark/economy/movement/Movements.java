package dev.bulwark.economy.movement;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import dev.bulwark.economy.catalog.Catalog;
import dev.bulwark.economy.catalog.Catalog.Item;
import dev.bulwark.economy.ledger.Ledger;
import dev.bulwark.economy.ledger.PlayerStore;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.ItemQuantity;

/**
 * Checks shared by everything that moves currency and items in or out of a player's stream
 * (loot, consumptions, transfers, adjustments): requests are normalised first (one line per item,
 * known items, no zero lines), then checked against the locked stream before anything is appended.
 */
@Component
public class Movements {

    private final Catalog catalog;
    private final PlayerStore store;

    Movements(Catalog catalog, PlayerStore store) {
        this.catalog = catalog;
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

    /**
     * Validates and merges a request's lines. {@code signed} allows negative amounts
     * (adjustments); otherwise every amount must be positive. Refuses bad amounts, an empty
     * request and unknown items.
     */
    public Change normalise(Map<Currency, Long> currency, List<ItemQuantity> items, boolean signed) {
        Map<Currency, Long> amounts = new EnumMap<>(Currency.class);
        if (currency != null) {
            currency.forEach((c, amount) -> {
                if (c == null || amount == null || amount == 0 || (!signed && amount < 0) || amount == Long.MIN_VALUE) {
                    throw MovementRefusal.invalidAmount(
                            signed ? "Amounts are non-zero integers" : "Amounts are positive integers");
                }
                amounts.put(c, amount);
            });
        }
        Map<String, Long> merged = new TreeMap<>();
        if (items != null) {
            for (ItemQuantity item : items) {
                if (item == null || item.itemId() == null || item.quantity() == 0 || (!signed && item.quantity() < 0)
                        || item.quantity() == Long.MIN_VALUE) {
                    throw MovementRefusal.invalidAmount(
                            signed ? "Item quantities are non-zero integers" : "Item quantities are positive integers");
                }
                if (catalog.item(item.itemId()).isEmpty()) {
                    throw MovementRefusal.unknownItem(item.itemId());
                }
                try {
                    merged.merge(item.itemId(), item.quantity(), Math::addExact);
                } catch (ArithmeticException overflow) {
                    throw MovementRefusal.amountTooLarge();
                }
            }
        }
        merged.values().removeIf(q -> q == 0);
        Change change = new Change(amounts, merged.entrySet().stream()
                .map(e -> new ItemQuantity(e.getKey(), e.getValue())).toList());
        if (change.isEmpty()) {
            throw MovementRefusal.emptyChange();
        }
        return change;
    }

    /** The catalog entry of an item the request already named (see {@link #normalise}). */
    public Item item(String itemId) {
        return catalog.item(itemId).orElseThrow(() -> new IllegalStateException("Unknown item " + itemId));
    }

    /** Refuses (balance overflow, max stack exceeded) if the player could not hold what comes in. */
    public void checkCanReceive(Ledger.Stream stream, Change incoming) {
        checkCanExchange(stream, Change.NONE, incoming);
    }

    /**
     * Refuses unless the player has what goes out and could hold what comes in once it has gone:
     * the one place where balances are checked for overflow and stacks for their maximum.
     */
    public void checkCanExchange(Ledger.Stream stream, Change outgoing, Change incoming) {
        checkCanGive(stream, outgoing);
        incoming.currency().forEach((currency, amount) -> {
            long remaining = stream.balance(currency) - outgoing.currency().getOrDefault(currency, 0L);
            try {
                Math.addExact(Math.addExact(remaining, stream.held(currency)), amount);
            } catch (ArithmeticException overflow) {
                throw MovementRefusal.balanceOverflow(currency);
            }
        });
        for (ItemQuantity item : incoming.items()) {
            long maxStack = item(item.itemId()).maxStack();
            long held = store.itemQuantity(stream.playerId(), item.itemId()) - outgoing.quantity(item.itemId());
            // The true total in the refusal; saturates only on overflow.
            long wouldHave = held > Long.MAX_VALUE - item.quantity() ? Long.MAX_VALUE : held + item.quantity();
            if (wouldHave > maxStack) {
                throw MovementRefusal.maxStackExceeded(item.itemId(), maxStack, wouldHave);
            }
        }
    }

    /** Refuses (insufficient funds, items not held) unless the player has what goes out. */
    public void checkCanGive(Ledger.Stream stream, Change outgoing) {
        outgoing.currency().forEach((currency, amount) -> {
            if (stream.balance(currency) < amount) {
                throw MovementRefusal.insufficientFunds(currency, amount, stream.balance(currency));
            }
        });
        for (ItemQuantity item : outgoing.items()) {
            long held = store.itemQuantity(stream.playerId(), item.itemId());
            if (held < item.quantity()) {
                throw MovementRefusal.itemsNotHeld(item.itemId(), item.quantity(), held);
            }
        }
    }
}
