package dev.bulwark.economy.movement;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.bulwark.economy.catalog.Catalog;
import dev.bulwark.economy.catalog.Catalog.Item;
import dev.bulwark.economy.ledger.Ledger;
import dev.bulwark.economy.ledger.PlayerStore;
import dev.bulwark.economy.ledger.Refusals;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.ItemQuantity;
import dev.bulwark.platform.web.ApiException;

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
     * (adjustments); otherwise every amount must be positive. 400 for bad amounts or an empty
     * request, 422 for an unknown item.
     */
    public Change normalise(Map<Currency, Long> currency, List<ItemQuantity> items, boolean signed) {
        Map<Currency, Long> amounts = new EnumMap<>(Currency.class);
        if (currency != null) {
            currency.forEach((c, amount) -> {
                if (c == null || amount == null || amount == 0 || (!signed && amount < 0) || amount == Long.MIN_VALUE) {
                    throw ApiException.badRequest("invalid-amount",
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
                    throw ApiException.badRequest("invalid-amount",
                            signed ? "Item quantities are non-zero integers" : "Item quantities are positive integers");
                }
                if (catalog.item(item.itemId()).isEmpty()) {
                    throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-item",
                            "There is no item " + item.itemId());
                }
                try {
                    merged.merge(item.itemId(), item.quantity(), Math::addExact);
                } catch (ArithmeticException overflow) {
                    throw Refusals.amountTooLarge();
                }
            }
        }
        merged.values().removeIf(q -> q == 0);
        Change change = new Change(amounts, merged.entrySet().stream()
                .map(e -> new ItemQuantity(e.getKey(), e.getValue())).toList());
        if (change.isEmpty()) {
            throw ApiException.badRequest("empty-change", "Nothing to move: give currency or items");
        }
        return change;
    }

    /** The catalog entry of an item the request already named (see {@link #normalise}). */
    public Item item(String itemId) {
        return catalog.item(itemId).orElseThrow(() -> new IllegalStateException("Unknown item " + itemId));
    }

    /** 409 if the player could not hold what comes in: a balance overflow or a full stack. */
    public void checkCanReceive(Ledger.Stream stream, Change incoming) {
        incoming.currency().forEach((currency, amount) -> {
            try {
                Math.addExact(Math.addExact(stream.balance(currency), stream.held(currency)), amount);
            } catch (ArithmeticException overflow) {
                throw Refusals.balanceOverflow(currency);
            }
        });
        for (ItemQuantity item : incoming.items()) {
            long maxStack = item(item.itemId()).maxStack();
            long held = store.itemQuantity(stream.playerId(), item.itemId());
            // The true total in the refusal (it said Long.MAX_VALUE for any overfull stack); saturates only on overflow.
            long wouldHave = held > Long.MAX_VALUE - item.quantity() ? Long.MAX_VALUE : held + item.quantity();
            if (wouldHave > maxStack) {
                throw Refusals.maxStackExceeded(item.itemId(), maxStack, wouldHave);
            }
        }
    }

    /** 409 if the player does not have what goes out: spendable funds or held items. */
    public void checkCanGive(Ledger.Stream stream, Change outgoing) {
        outgoing.currency().forEach((currency, amount) -> {
            if (stream.balance(currency) < amount) {
                throw Refusals.insufficientFunds(currency, amount, stream.balance(currency));
            }
        });
        for (ItemQuantity item : outgoing.items()) {
            long held = store.itemQuantity(stream.playerId(), item.itemId());
            if (held < item.quantity()) {
                throw ApiException.conflict("items-not-held",
                        "Needs " + item.quantity() + " " + item.itemId() + " but the player holds " + held);
            }
        }
    }
}
