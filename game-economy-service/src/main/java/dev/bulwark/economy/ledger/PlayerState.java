package dev.bulwark.economy.ledger;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.bulwark.events.Payload;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.AdjustmentApplied;
import dev.bulwark.events.economy.CurrencyGranted;
import dev.bulwark.events.economy.HoldCaptured;
import dev.bulwark.events.economy.HoldPlaced;
import dev.bulwark.events.economy.HoldReleased;
import dev.bulwark.events.economy.ItemQuantity;
import dev.bulwark.events.economy.ItemsConsumed;
import dev.bulwark.events.economy.LootGranted;
import dev.bulwark.events.economy.PurchaseCompleted;
import dev.bulwark.events.economy.TransferReceived;
import dev.bulwark.events.economy.TransferSent;
import dev.bulwark.events.economy.WalletOpened;

/**
 * A player's economy state as the fold of their ledger: what a replay computes, what a
 * snapshot stores, and what the SQL projection (wallet, hold, inventory_item rows) must equal.
 * This is deliberately a second implementation of the projection, in plain Java: the
 * write path updates rows with SQL, and the two are compared by replay.
 *
 * @param lastSequence position of the last event applied (0 before the first)
 * @param balances     spendable amounts
 * @param held         reserved amounts (the sum of the open holds)
 * @param holds        the open (PLACED) holds; a captured or released hold leaves the state, so
 *                     folding stays linear however many sagas a player ran (the {@code hold}
 *                     rows keep settled holds for idempotent settling, and the projection read
 *                     back for comparison takes the PLACED ones). Snapshots written before this
 *                     carry settled holds, which the constructor drops.
 * @param items        item id → quantity (only positive quantities)
 */
public record PlayerState(long lastSequence, Map<Currency, Long> balances, Map<Currency, Long> held,
        Map<UUID, HoldState> holds, Map<String, Long> items) {

    public enum HoldStatus {
        PLACED, CAPTURED, RELEASED
    }

    public record HoldState(Currency currency, long amount, HoldStatus status) {
    }

    public PlayerState {
        balances = Map.copyOf(balances);
        held = Map.copyOf(held);
        holds = holds.entrySet().stream().filter(h -> h.getValue().status() == HoldStatus.PLACED)
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
        items = Map.copyOf(items);
    }

    public static PlayerState empty() {
        return new PlayerState(0, zero(), zero(), Map.of(), Map.of());
    }

    private static Map<Currency, Long> zero() {
        Map<Currency, Long> zero = new EnumMap<>(Currency.class);
        for (Currency c : Currency.values()) {
            zero.put(c, 0L);
        }
        return zero;
    }

    public long balance(Currency currency) {
        return balances.getOrDefault(currency, 0L);
    }

    public long held(Currency currency) {
        return held.getOrDefault(currency, 0L);
    }

    /** The state after one more event; refuses gaps, negative amounts and overflow (a corrupt stream). */
    public PlayerState apply(long sequence, Payload event) {
        if (sequence != lastSequence + 1) {
            throw new IllegalStateException("Ledger gap: expected " + (lastSequence + 1) + ", got " + sequence);
        }
        Map<Currency, Long> newBalances = new EnumMap<>(balances);
        Map<Currency, Long> newHeld = new EnumMap<>(held);
        Map<UUID, HoldState> newHolds = new TreeMap<>(holds);
        Map<String, Long> newItems = new TreeMap<>(items);
        switch (event) {
            case WalletOpened opened -> {
                if (sequence != 1) {
                    throw new IllegalStateException("WalletOpened at " + sequence);
                }
            }
            case CurrencyGranted granted -> granted.amounts().forEach((c, a) -> add(newBalances, c, a));
            case HoldPlaced placed -> {
                if (newHolds.containsKey(placed.holdId())) {
                    throw new IllegalStateException("Hold placed twice: " + placed.holdId());
                }
                add(newBalances, placed.currency(), -placed.amount());
                add(newHeld, placed.currency(), placed.amount());
                newHolds.put(placed.holdId(), new HoldState(placed.currency(), placed.amount(), HoldStatus.PLACED));
            }
            case HoldCaptured captured -> {
                settle(newHolds, captured.holdId(), HoldStatus.CAPTURED);
                add(newHeld, captured.currency(), -captured.amount());
            }
            case HoldReleased released -> {
                settle(newHolds, released.holdId(), HoldStatus.RELEASED);
                add(newHeld, released.currency(), -released.amount());
                add(newBalances, released.currency(), released.amount());
            }
            case PurchaseCompleted purchase -> {
                add(newBalances, purchase.priceCurrency(), -purchase.priceAmount());
                purchase.currencyGranted().forEach((c, a) -> add(newBalances, c, a));
                addItems(newItems, purchase.itemsGranted(), 1);
            }
            case LootGranted loot -> {
                loot.currency().forEach((c, a) -> add(newBalances, c, a));
                addItems(newItems, loot.items(), 1);
            }
            case ItemsConsumed consumed -> addItems(newItems, consumed.items(), -1);
            case AdjustmentApplied adjustment -> {
                adjustment.currency().forEach((c, a) -> add(newBalances, c, a));
                addItems(newItems, adjustment.items(), 1);
            }
            case TransferSent sent -> {
                sent.currency().forEach((c, a) -> add(newBalances, c, -a));
                addItems(newItems, sent.items(), -1);
            }
            case TransferReceived received -> {
                received.currency().forEach((c, a) -> add(newBalances, c, a));
                addItems(newItems, received.items(), 1);
            }
            default -> throw new IllegalStateException("Not a ledger event: " + event.getClass().getSimpleName());
        }
        return new PlayerState(sequence, newBalances, newHeld, newHolds, newItems);
    }

    private static void settle(Map<UUID, HoldState> holds, UUID holdId, HoldStatus to) {
        HoldState hold = holds.remove(holdId);
        if (hold == null) {
            throw new IllegalStateException("Hold " + holdId + " is not open, cannot become " + to);
        }
    }

    private static void add(Map<Currency, Long> amounts, Currency currency, long delta) {
        long result = Math.addExact(amounts.getOrDefault(currency, 0L), delta);
        if (result < 0) {
            throw new IllegalStateException(currency + " would go negative");
        }
        amounts.put(currency, result);
    }

    private static void addItems(Map<String, Long> items, List<ItemQuantity> changes, int sign) {
        for (ItemQuantity item : changes) {
            long result = Math.addExact(items.getOrDefault(item.itemId(), 0L), Math.multiplyExact(sign, item.quantity()));
            if (result < 0) {
                throw new IllegalStateException(item.itemId() + " would go negative");
            }
            if (result == 0) {
                items.remove(item.itemId());
            } else {
                items.put(item.itemId(), result);
            }
        }
    }
}
