package dev.bulwark.economy.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.economy.ledger.PlayerState;
import dev.bulwark.economy.ledger.PlayerStore;
import dev.bulwark.economy.ledger.Shards;
import dev.bulwark.economy.ledger.StoredEvent;
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
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The ledger audit. In one REPEATABLE READ snapshot (so concurrent writes cannot show as drift):
 * every player's ledger is folded from its first event (no snapshots) and compared with the
 * wallet, hold and inventory rows; and the supply of every currency and item is computed twice —
 * from the flows in the ledgers (starter and other grants + loot + adjustments + what purchases
 * gave − prices paid − captured holds − consumptions, transfers netting out) and as the sum of
 * balances + held and inventories. Both must agree exactly. The gauge
 * {@code bulwark.ledger.audit.drift} counts the findings of the last audit on this instance
 * (players whose rows differ + assets whose supply differs); NaN before the first.
 */
@Component
class LedgerAudit {

    private static final Logger log = LoggerFactory.getLogger(LedgerAudit.class);
    private static final int PAGE = 500;

    private final Shards shards;
    private final PlayerStore store;
    private final Clock clock;
    private volatile double lastDrift = Double.NaN;

    LedgerAudit(Shards shards, PlayerStore store, Clock clock, MeterRegistry meters) {
        this.shards = shards;
        this.store = store;
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

    public record Report(Instant auditedAt, int players, long events, List<PlayerDrift> playersWithDrift,
            Map<String, Supply> supply, long drift) {
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Report run() {
        Map<String, Map<String, Long>> flows = new TreeMap<>();
        Map<String, Long> actual = new TreeMap<>();
        List<PlayerDrift> drifted = new ArrayList<>();
        int players = 0;
        long events = 0;
        for (JdbcClient shard : shards.all()) {
            for (UUID player : shard.sql("SELECT player_id FROM wallet ORDER BY player_id").query(UUID.class).list()) {
                players++;
                PlayerState state = PlayerState.empty();
                List<StoredEvent> page;
                do {
                    page = store.events(player, state.lastSequence(), PAGE);
                    for (StoredEvent stored : page) {
                        Payload event = stored.decode();
                        state = state.apply(stored.sequence(), event);
                        count(flows, event);
                        events++;
                    }
                } while (page.size() == PAGE);
                PlayerState projected = store.projection(player).orElse(null);
                if (!state.equals(projected)) {
                    drifted.add(new PlayerDrift(player, state, projected));
                }
                if (projected != null) {
                    for (Currency c : Currency.values()) {
                        actual.merge(c.name(), projected.balance(c) + projected.held(c), Long::sum);
                    }
                    projected.items().forEach((item, q) -> actual.merge("item:" + item, q, Long::sum));
                }
            }
        }
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
        long drift = drifted.size() + assetsDrifting;
        lastDrift = drift;
        if (drift != 0) {
            log.error("Ledger audit found drift: {} players, {} assets", drifted.size(), assetsDrifting);
        }
        return new Report(clock.instant(), players, events, drifted, supply, drift);
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
