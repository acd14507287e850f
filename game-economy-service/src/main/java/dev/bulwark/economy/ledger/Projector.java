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
 */
@Component
class Projector {

    void apply(JdbcClient jdbc, UUID player, long sequence, Payload event) {
        switch (event) {
            case WalletOpened opened -> jdbc.sql("""
                    INSERT INTO wallet (player_id, gold, gem, last_sequence) VALUES (:player, 0, 0, :seq)""")
                    .param("player", player).param("seq", sequence).update();
            case CurrencyGranted granted -> addBalances(jdbc, player, granted.amounts(), 1);
            case HoldPlaced placed -> {
                moveToHeld(jdbc, player, placed.currency(), placed.amount(), -1, 1);
                jdbc.sql("""
                        INSERT INTO hold (player_id, hold_id, currency, amount, status, reason, placed_sequence)
                        VALUES (:player, :hold, :currency, :amount, 'PLACED', :reason, :seq)""")
                        .param("player", player).param("hold", placed.holdId())
                        .param("currency", placed.currency().name()).param("amount", placed.amount())
                        .param("reason", placed.reason()).param("seq", sequence).update();
            }
            case HoldCaptured captured -> {
                moveToHeld(jdbc, player, captured.currency(), captured.amount(), 0, -1);
                settle(jdbc, player, captured.holdId(), "CAPTURED", sequence);
            }
            case HoldReleased released -> {
                moveToHeld(jdbc, player, released.currency(), released.amount(), 1, -1);
                settle(jdbc, player, released.holdId(), "RELEASED", sequence);
            }
            case PurchaseCompleted purchase -> {
                addBalances(jdbc, player, Map.of(purchase.priceCurrency(), purchase.priceAmount()), -1);
                addBalances(jdbc, player, purchase.currencyGranted(), 1);
                addItems(jdbc, player, purchase.itemsGranted(), 1);
            }
            case LootGranted loot -> {
                addBalances(jdbc, player, loot.currency(), 1);
                addItems(jdbc, player, loot.items(), 1);
            }
            case ItemsConsumed consumed -> addItems(jdbc, player, consumed.items(), -1);
            case AdjustmentApplied adjustment -> {
                addBalances(jdbc, player, adjustment.currency(), 1);
                addItems(jdbc, player, adjustment.items(), 1);
            }
            case TransferSent sent -> {
                addBalances(jdbc, player, sent.currency(), -1);
                addItems(jdbc, player, sent.items(), -1);
            }
            case TransferReceived received -> {
                addBalances(jdbc, player, received.currency(), 1);
                addItems(jdbc, player, received.items(), 1);
            }
            default -> throw new IllegalArgumentException("Not a ledger event: " + event.getClass().getSimpleName());
        }
        int moved = jdbc.sql("UPDATE wallet SET last_sequence = :seq WHERE player_id = :player AND last_sequence = :seq - 1")
                .param("player", player).param("seq", sequence).update();
        if (moved != 1 && !(event instanceof WalletOpened)) {
            throw new IllegalStateException("Stream head of " + player + " is not at " + (sequence - 1));
        }
    }

    private static void addBalances(JdbcClient jdbc, UUID player, Map<Currency, Long> amounts, int sign) {
        long gold = Math.multiplyExact(sign, amounts.getOrDefault(Currency.GOLD, 0L));
        long gem = Math.multiplyExact(sign, amounts.getOrDefault(Currency.GEM, 0L));
        jdbc.sql("UPDATE wallet SET gold = gold + :gold, gem = gem + :gem WHERE player_id = :player")
                .param("player", player).param("gold", gold).param("gem", gem).update();
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

    private static void moveToHeld(JdbcClient jdbc, UUID player, Currency currency, long amount, int balanceSign,
            int heldSign) {
        String column = currency == Currency.GOLD ? "gold" : "gem";
        jdbc.sql("UPDATE wallet SET %1$s = %1$s + :balance, held_%1$s = held_%1$s + :held WHERE player_id = :player"
                .formatted(column))
                .param("player", player).param("balance", balanceSign * amount).param("held", heldSign * amount)
                .update();
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
