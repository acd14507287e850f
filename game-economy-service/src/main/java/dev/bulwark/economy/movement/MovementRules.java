package dev.bulwark.economy.movement;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import dev.bulwark.economy.catalog.Catalog.Item;
import dev.bulwark.economy.movement.Movements.Change;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.ItemQuantity;

/**
 * The movement rules as functions of values: the catalog's items and what a player has. No
 * database and no Spring, so they are tested in milliseconds; {@link Movements} reads the values
 * from the locked stream and the inventory rows.
 */
final class MovementRules {

    /** What a player has, as the rules see it. */
    interface Holdings {

        /** Spendable. */
        long balance(Currency currency);

        /** Reserved by open holds. */
        long held(Currency currency);

        /** Quantity of an item in the inventory (0 when none). */
        long quantity(String itemId);
    }

    private final Function<String, Optional<Item>> catalog;

    MovementRules(Function<String, Optional<Item>> catalog) {
        this.catalog = catalog;
    }

    /**
     * Validates and merges a request's lines. {@code signed} allows negative amounts
     * (adjustments); otherwise every amount must be positive. Refuses bad amounts, an empty
     * request and unknown items.
     */
    Change normalise(Map<Currency, Long> currency, List<ItemQuantity> items, boolean signed) {
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
                if (catalog.apply(item.itemId()).isEmpty()) {
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
    Item item(String itemId) {
        return catalog.apply(itemId).orElseThrow(() -> new IllegalStateException("Unknown item " + itemId));
    }

    /**
     * Refuses unless the player has what goes out and could hold what comes in once it has gone:
     * the one place where balances are checked for overflow and stacks for their maximum.
     */
    void checkCanExchange(Holdings holdings, Change outgoing, Change incoming) {
        checkCanGive(holdings, outgoing);
        incoming.currency().forEach((currency, amount) -> {
            long remaining = holdings.balance(currency) - outgoing.currency().getOrDefault(currency, 0L);
            try {
                Math.addExact(Math.addExact(remaining, holdings.held(currency)), amount);
            } catch (ArithmeticException overflow) {
                throw MovementRefusal.balanceOverflow(currency);
            }
        });
        for (ItemQuantity item : incoming.items()) {
            long maxStack = item(item.itemId()).maxStack();
            long held = holdings.quantity(item.itemId()) - outgoing.quantity(item.itemId());
            // The true total in the refusal; saturates only on overflow.
            long wouldHave = held > Long.MAX_VALUE - item.quantity() ? Long.MAX_VALUE : held + item.quantity();
            if (wouldHave > maxStack) {
                throw MovementRefusal.maxStackExceeded(item.itemId(), maxStack, wouldHave);
            }
        }
    }

    /** Refuses (insufficient funds, items not held) unless the player has what goes out. */
    void checkCanGive(Holdings holdings, Change outgoing) {
        outgoing.currency().forEach((currency, amount) -> {
            if (holdings.balance(currency) < amount) {
                throw MovementRefusal.insufficientFunds(currency, amount, holdings.balance(currency));
            }
        });
        for (ItemQuantity item : outgoing.items()) {
            long held = holdings.quantity(item.itemId());
            if (held < item.quantity()) {
                throw MovementRefusal.itemsNotHeld(item.itemId(), item.quantity(), held);
            }
        }
    }
}
