package dev.bulwark.economy.admin;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.bulwark.economy.ledger.PlayerState;
import dev.bulwark.economy.ledger.PlayerStore;
import dev.bulwark.economy.sharding.Shard;
import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.economy.ledger.StoredEvent;
import dev.bulwark.events.Contracts;
import dev.bulwark.events.Payload;
import dev.bulwark.events.economy.AdjustmentApplied;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.CurrencyGranted;
import dev.bulwark.events.economy.HoldCaptured;
import dev.bulwark.events.economy.ItemQuantity;
import dev.bulwark.events.economy.ItemsConsumed;
import dev.bulwark.events.economy.LootGranted;
import dev.bulwark.events.economy.PurchaseCompleted;
import dev.bulwark.events.economy.TransferReceived;
import dev.bulwark.events.economy.TransferSent;
import dev.bulwark.platform.messaging.SingleInstance;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The ledger audit, incremental. In one REPEATABLE READ snapshot (so concurrent writes cannot
 * show as drift): every player whose ledger grew — or whose wallet row changed without a ledger
 * event — since their checkpoint has the new events folded onto the checkpoint's state (the
 * plain-Java fold, never snapshots or the SQL projection) and compared with the wallet, hold and
 * inventory rows; and the supply of every currency and item is computed twice — from the flows
 * in the ledgers (starter and other grants + loot + adjustments + what purchases gave − prices
 * paid − captured holds − consumptions, transfers netting out; kept per shard up to the
 * checkpoints) and as the sum of balances + held and inventories. Both must agree exactly. So a
 * run costs the events since the last run plus a scan of the wallet rows, however long the
 * ledgers are. A player found drifting keeps the old checkpoint, so every run reports them until
 * the rows are mended. {@code full} forgets the checkpoints first and folds every ledger from its
 * first event. Runs take the cluster-wide job lock: one audit at a time, on any replica. The
 * gauge {@code bulwark.ledger.audit.drift} counts the findings of the last audit on this instance
 * (players whose rows differ + assets whose supply differs); NaN before the first.
 */
@Component
class LedgerAudit {

    private static final Logger log = LoggerFactory.getLogger(LedgerAudit.class);
    private static final int PAGE = 500;
    static final String JOB = "ledger-audit";

    private final Shards shards;
    private final PlayerStore store;
    private final SingleInstance singleInstance;
    private final Clock clock;
    private volatile double lastDrift = Double.NaN;

    LedgerAudit(Shards shards, PlayerStore store, SingleInstance singleInstance, Clock clock, MeterRegistry meters) {
        this.shards = shards;
        this.store = store;
        this.singleInstance = singleInstance;
        this.clock = clock;
        Gauge.builder("bulwark.ledger.audit.drift", this, audit -> audit.lastDrift)
                .description("Players whose projection differs from their replayed ledger, plus assets whose supply is not conserved, at the last audit")
                .register(meters);
    }

    /** A player whose rows differ from the replay of their ledger. */
    public record PlayerDrift(UUID playerId, PlayerState replayed, PlayerState projected) {
    }

    /** Supply of one asset (GOLD, GEM, or item:&lt;id&gt;): from the flows and as held, and the flows by kind. */
    public record Supply(long expected, long actual, long drift, Map<String, Long> flows) {
    }

    /**
     * @param players the players whose ledgers this run folded (new events or a changed wallet)
     * @param events  the events it folded
     * @param transfersNotOnBothSides transfers (full audits only) that are not on both sides exactly once; one
     *        committed on one shard and still prepared on the other shows here until recovery commits it
     */
    public record Report(Instant auditedAt, boolean full, int players, long events, List<PlayerDrift> playersWithDrift,
            Map<String, Supply> supply, List<String> transfersNotOnBothSides, long drift) {
    }

    private record Checked(UUID playerId, PlayerState from) {
    }

    /** Audits unless another audit is running on any replica; empty then. */
    public Optional<Report> runIfFree(boolean full) {
        AtomicReference<Report> report = new AtomicReference<>();
        // The job lock's transaction is READ COMMITTED; each shard is audited in a REPEATABLE READ snapshot of its
        // own (Shard#inSnapshot), so that writes landing while it reads cannot show as drift. It writes only its own
        // checkpoint tables.
        singleInstance.runIfFree(JOB, () -> report.set(run(full)));
        return Optional.ofNullable(report.get());
    }

    private Report run(boolean full) {
        Map<String, Map<String, Long>> flows = new TreeMap<>();
        Map<String, Long> actual = new TreeMap<>();
        List<PlayerDrift> drifted = new ArrayList<>();
        int players = 0;
        long events = 0;
        List<String> unmatched = new ArrayList<>();
        Map<String, Integer> transferSides = new HashMap<>();
        for (Shard shard : shards.all()) {
            // One REPEATABLE READ snapshot per shard: a shard's flows and holdings agree with each other even while a
            // cross-shard transfer is half committed (its other side then shows on the other shard later, not as drift).
            long[] counted = shard.inSnapshot(() -> audit(shard, full, flows, actual, drifted));
            players += (int) counted[0];
            events += counted[1];
            if (full) {
                sides(shard, transferSides);
            }
        }
        transferSides.forEach((transferId, sides) -> {
            if (sides != 0) {
                unmatched.add(transferId);
            }
        });
        Map<String, Supply> supply = new TreeMap<>();
        long assetsDrifting = 0;
        List<String> assets = new ArrayList<>(flows.keySet());
        actual.keySet().stream().filter(a -> !flows.containsKey(a)).forEach(assets::add);
        for (String asset : assets) {
            Map<String, Long> byKind = flows.getOrDefault(asset, Map.of());
            long expected = byKind.values().stream().mapToLong(Long::longValue).sum();
            long held = actual.getOrDefault(asset, 0L);
            supply.put(asset, new Supply(expected, held, held - expected, byKind));
            if (held != expected) {
                assetsDrifting++;
            }
        }
        long drift = drifted.size() + assetsDrifting + unmatched.size();
        lastDrift = drift;
        if (drift != 0) {
            log.error("Ledger audit found drift: {} players, {} assets, {} transfers not on both sides once",
                    drifted.size(), assetsDrifting, unmatched.size());
        }
        return new Report(clock.instant(), full, players, events, drifted, supply, unmatched, drift);
    }

    /** One shard's part of the audit, in its snapshot; the players and events it folded. */
    private long[] audit(Shard shard, boolean full, Map<String, Map<String, Long>> flows, Map<String, Long> actual,
            List<PlayerDrift> drifted) {
        int players = 0;
        long events = 0;
        if (full) {
            shard.sql("DELETE FROM ledger_audit_checkpoint").update();
            shard.sql("DELETE FROM ledger_audit_flow").update();
        }
        shard.sql("SELECT asset, kind, amount FROM ledger_audit_flow")
                .query(rs -> { add(flows, rs.getString("asset"), rs.getString("kind"), rs.getLong("amount")); });
        Map<String, Map<String, Long>> verified = new TreeMap<>();
        for (Checked checked : changedSinceCheckpoint(shard)) {
            players++;
            Map<String, Map<String, Long>> playerFlows = new TreeMap<>();
            PlayerState state = checked.from();
            List<StoredEvent> page;
            do {
                page = store.events(checked.playerId(), state.lastSequence(), PAGE);
                for (StoredEvent stored : page) {
                    Payload event = stored.decode();
                    state = state.apply(stored.sequence(), event);
                    count(playerFlows, event);
                    events++;
                }
            } while (page.size() == PAGE);
            merge(flows, playerFlows);
            PlayerState projected = store.projection(checked.playerId()).orElse(null);
            if (state.equals(projected)) {
                merge(verified, playerFlows);
                checkpoint(shard, checked.playerId(), state);
            } else {
                drifted.add(new PlayerDrift(checked.playerId(), state, projected));
            }
        }
        verified.forEach((asset, byKind) -> byKind.forEach((kind, amount) -> shard.sql("""
                INSERT INTO ledger_audit_flow (asset, kind, amount) VALUES (:asset, :kind, :amount)
                ON CONFLICT (asset, kind) DO UPDATE SET amount = ledger_audit_flow.amount + EXCLUDED.amount""")
                .param("asset", asset).param("kind", kind).param("amount", amount).update()));
        holdings(shard, actual);
        return new long[] { players, events };
    }

    /**
     * Every transfer's sides on a shard, as +1 for the sending side and -1 for the receiving one,
     * by transfer id: over all shards each transfer must sum to zero (it appears on both sides,
     * once each, also when the players live on two shards).
     */
    private static void sides(Shard shard, Map<String, Integer> sides) {
        shard.sql("""
                SELECT payload->>'transferId' AS transfer_id, type FROM ledger_event
                WHERE type IN ('TransferSent', 'TransferReceived')""")
                .query(rs -> {
                    sides.merge(rs.getString("transfer_id"), "TransferSent".equals(rs.getString("type")) ? 1 : -1,
                            Integer::sum);
                });
    }

    /** Players with events after their checkpoint, a wallet that differs from it, or none yet; with the state to fold on. */
    private static List<Checked> changedSinceCheckpoint(Shard shard) {
        return shard.sql("""
                SELECT w.player_id, c.state::text AS state FROM wallet w
                LEFT JOIN ledger_audit_checkpoint c ON c.player_id = w.player_id
                WHERE c.player_id IS NULL OR c.sequence <> w.last_sequence OR c.gold <> w.gold OR c.gem <> w.gem
                   OR c.held_gold <> w.held_gold OR c.held_gem <> w.held_gem
                ORDER BY w.player_id""")
                .query((rs, n) -> new Checked(rs.getObject("player_id", UUID.class), rs.getString("state") == null
                        ? PlayerState.empty() : Contracts.MAPPER.readValue(rs.getString("state"), PlayerState.class)))
                .list();
    }

    private void checkpoint(Shard shard, UUID player, PlayerState state) {
        shard.sql("""
                INSERT INTO ledger_audit_checkpoint (player_id, sequence, gold, gem, held_gold, held_gem, state, taken_at)
                VALUES (:player, :sequence, :gold, :gem, :heldGold, :heldGem, CAST(:state AS jsonb), :at)
                ON CONFLICT (player_id) DO UPDATE SET sequence = EXCLUDED.sequence, gold = EXCLUDED.gold, gem = EXCLUDED.gem,
                    held_gold = EXCLUDED.held_gold, held_gem = EXCLUDED.held_gem, state = EXCLUDED.state,
                    taken_at = EXCLUDED.taken_at""")
                .param("player", player).param("sequence", state.lastSequence())
                .param("gold", state.balance(Currency.GOLD)).param("gem", state.balance(Currency.GEM))
                .param("heldGold", state.held(Currency.GOLD)).param("heldGem", state.held(Currency.GEM))
                .param("state", Contracts.MAPPER.writeValueAsString(state)).param("at", Timestamp.from(clock.instant()))
                .update();
    }

    /** What the shard's players hold, summed by the database: balances + held, and inventories. */
    private static void holdings(Shard shard, Map<String, Long> actual) {
        shard.sql("SELECT coalesce(sum(gold + held_gold), 0) AS gold, coalesce(sum(gem + held_gem), 0) AS gem FROM wallet")
                .query(rs -> {
                    actual.merge(Currency.GOLD.name(), rs.getLong("gold"), Long::sum);
                    actual.merge(Currency.GEM.name(), rs.getLong("gem"), Long::sum);
                });
        shard.sql("SELECT item_id, sum(quantity) AS quantity FROM inventory_item GROUP BY item_id")
                .query(rs -> { actual.merge("item:" + rs.getString("item_id"), rs.getLong("quantity"), Long::sum); });
    }

    private static void merge(Map<String, Map<String, Long>> into, Map<String, Map<String, Long>> flows) {
        flows.forEach((asset, byKind) -> byKind.forEach((kind, amount) -> add(into, asset, kind, amount)));
    }

    /** Adds an event's effect on the supply, by asset and kind of flow (sinks negative). */
    private static void count(Map<String, Map<String, Long>> flows, Payload event) {
        switch (event) {
            case CurrencyGranted granted -> currency(flows, granted.amounts(),
                    "STARTER".equals(granted.reason()) ? "starter" : "granted", 1);
            case LootGranted loot -> {
                currency(flows, loot.currency(), "loot", 1);
                items(flows, loot.items(), "loot", 1);
            }
            case AdjustmentApplied adjustment -> {
                currency(flows, adjustment.currency(), "adjustments", 1);
                items(flows, adjustment.items(), "adjustments", 1);
            }
            case PurchaseCompleted purchase -> {
                add(flows, purchase.priceCurrency().name(), "prices", -purchase.priceAmount());
                currency(flows, purchase.currencyGranted(), "purchased", 1);
                items(flows, purchase.itemsGranted(), "purchased", 1);
            }
            case HoldCaptured captured -> add(flows, captured.currency().name(), "captured", -captured.amount());
            case ItemsConsumed consumed -> items(flows, consumed.items(), "consumed", -1);
            case TransferSent sent -> {
                currency(flows, sent.currency(), "transfers", -1);
                items(flows, sent.items(), "transfers", -1);
            }
            case TransferReceived received -> {
                currency(flows, received.currency(), "transfers", 1);
                items(flows, received.items(), "transfers", 1);
            }
            default -> {
                // WalletOpened, HoldPlaced, HoldReleased: nothing enters or leaves the game
            }
        }
    }

    private static void currency(Map<String, Map<String, Long>> flows, Map<Currency, Long> amounts, String kind,
            int sign) {
        amounts.forEach((c, a) -> add(flows, c.name(), kind, sign * a));
    }

    private static void items(Map<String, Map<String, Long>> flows, List<ItemQuantity> items, String kind, int sign) {
        items.forEach(i -> add(flows, "item:" + i.itemId(), kind, sign * i.quantity()));
    }

    private static void add(Map<String, Map<String, Long>> flows, String asset, String kind, long amount) {
        flows.computeIfAbsent(asset, a -> new TreeMap<>()).merge(kind, amount, Math::addExact);
    }
}
