package dev.bulwark.economy.ledger;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

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
 * Keeps the projection rows (wallet, hold, inventory_item) equal to the fold of the ledger, one
 * event at a time, in the appending transaction. Set-based SQL on purpose: the CHECK
 * constraints (never negative) and bigint arithmetic (overflow is an error, never a wrap) are
 * the last line of defence behind the writers' own checks.
 *
 * <p>An event's effect on the wallet is one guarded UPDATE: the balances and held amounts move
 * by the event's deltas and the stream head advances, only if the head is where the writer
 * locked it.
 */
@Component
class Projector {

    /** What an event does to the wallet row's four amounts. */
    private static final class WalletDelta {
        private long gold;
        private long gem;
        private long heldGold;
        private long heldGem;

        void add(Map<Currency, Long> amounts, int sign) {
            gold = Math.addExact(gold, Math.multiplyExact(sign, amounts.getOrDefault(Currency.GOLD, 0L)));
            gem = Math.addExact(gem, Math.multiplyExact(sign, amounts.getOrDefault(Currency.GEM, 0L)));
        }

        void move(Currency currency, long amount, int balanceSign, int heldSign) {
            long balance = Math.multiplyExact(balanceSign, amount);
            long held = Math.multiplyExact(heldSign, amount);
            if (currency == Currency.GOLD) {
                gold = Math.addExact(gold, balance);
                heldGold = Math.addExact(heldGold, held);
            } else {
                gem = Math.addExact(gem, balance);
                heldGem = Math.addExact(heldGem, held);
            }
        }
    }

    void apply(JdbcClient jdbc, UUID player, long sequence, Payload event) {
        WalletDelta wallet = new WalletDelta();
        switch (event) {
            case WalletOpened opened -> {
                jdbc.sql("""
                        INSERT INTO wallet (player_id, gold, gem, last_sequence) VALUES (:player, 0, 0, :seq)""")
                        .param("player", player).param("seq", sequence).update();
                return;
            }
            case CurrencyGranted granted -> wallet.add(granted.amounts(), 1);
            case HoldPlaced placed -> {
                wallet.move(placed.currency(), placed.amount(), -1, 1);
                jdbc.sql("""
                        INSERT INTO hold (player_id, hold_id, currency, amount, status, reason, placed_sequence)
                        VALUES (:player, :hold, :currency, :amount, 'PLACED', :reason, :seq)""")
                        .param("player", player).param("hold", placed.holdId())
                        .param("currency", placed.currency().name()).param("amount", placed.amount())
                        .param("reason", placed.reason()).param("seq", sequence).update();
            }
            case HoldCaptured captured -> {
                wallet.move(captured.currency(), captured.amount(), 0, -1);
                settle(jdbc, player, captured.holdId(), "CAPTURED", sequence);
            }
            case HoldReleased released -> {
                wallet.move(released.currency(), released.amount(), 1, -1);
                settle(jdbc, player, released.holdId(), "RELEASED", sequence);
            }
            case PurchaseCompleted purchase -> {
                wallet.add(Map.of(purchase.priceCurrency(), purchase.priceAmount()), -1);
                wallet.add(purchase.currencyGranted(), 1);
                addItems(jdbc, player, purchase.itemsGranted(), 1);
            }
            case LootGranted loot -> {
                wallet.add(loot.currency(), 1);
                addItems(jdbc, player, loot.items(), 1);
            }
            case ItemsConsumed consumed -> addItems(jdbc, player, consumed.items(), -1);
            case AdjustmentApplied adjustment -> {
                wallet.add(adjustment.currency(), 1);
                addItems(jdbc, player, adjustment.items(), 1);
            }
            case TransferSent sent -> {
                wallet.add(sent.currency(), -1);
                addItems(jdbc, player, sent.items(), -1);
            }
            case TransferReceived received -> {
                wallet.add(received.currency(), 1);
                addItems(jdbc, player, received.items(), 1);
            }
            default -> throw new IllegalArgumentException("Not a ledger event: " + event.getClass().getSimpleName());
        }
        int moved = jdbc.sql("""
                UPDATE wallet SET gold = gold + :gold, gem = gem + :gem, held_gold = held_gold + :heldGold,
                                  held_gem = held_gem + :heldGem, last_sequence = :seq
                WHERE player_id = :player AND last_sequence = :seq - 1""")
                .param("player", player).param("seq", sequence)
                .param("gold", wallet.gold).param("gem", wallet.gem)
                .param("heldGold", wallet.heldGold).param("heldGem", wallet.heldGem)
                .update();
        if (moved != 1) {
            throw new IllegalStateException("Stream head of " + player + " is not at " + (sequence - 1));
        }
    }

    /** Adds (sign 1) or removes (sign -1) items; a row that reaches zero is deleted, below zero is an error. */
    private static void addItems(JdbcClient jdbc, UUID player, List<ItemQuantity> items, int sign) {
        for (ItemQuantity item : items) {
            long delta = Math.multiplyExact(sign, item.quantity());
            if (delta > 0) {
                jdbc.sql("""
                        INSERT INTO inventory_item (player_id, item_id, quantity) VALUES (:player, :item, :q)
                        ON CONFLICT (player_id, item_id) DO UPDATE SET quantity = inventory_item.quantity + :q""")
                        .param("player", player).param("item", item.itemId()).param("q", delta).update();
            } else if (delta < 0) {
                int changed = jdbc.sql("""
                        UPDATE inventory_item SET quantity = quantity + :q
                        WHERE player_id = :player AND item_id = :item AND quantity > -:q""")
                        .param("player", player).param("item", item.itemId()).param("q", delta).update();
                if (changed == 0) {
                    changed = jdbc.sql("""
                            DELETE FROM inventory_item WHERE player_id = :player AND item_id = :item AND quantity = -:q""")
                            .param("player", player).param("item", item.itemId()).param("q", delta).update();
                }
                if (changed != 1) {
                    throw new IllegalStateException(item.itemId() + " of " + player + " would go negative");
                }
            }
        }
    }

    private static void settle(JdbcClient jdbc, UUID player, UUID holdId, String status, long sequence) {
        int settled = jdbc.sql("""
                UPDATE hold SET status = :status, settled_sequence = :seq
                WHERE player_id = :player AND hold_id = :hold AND status = 'PLACED'""")
                .param("status", status).param("seq", sequence).param("player", player).param("hold", holdId)
                .update();
        if (settled != 1) {
            throw new IllegalStateException("Hold " + holdId + " is not placed");
        }
    }
}
