package dev.bulwark.economy.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContextManager;

import dev.bulwark.economy.admin.Adjustments;
import dev.bulwark.economy.ledger.PlayerState.HoldState;
import dev.bulwark.economy.ledger.PlayerState.HoldStatus;
import dev.bulwark.economy.loot.Loot;
import dev.bulwark.economy.movement.Movements;
import dev.bulwark.economy.movement.Movements.Change;
import dev.bulwark.economy.purchase.Purchases;
import dev.bulwark.economy.transfer.Transfers;
import dev.bulwark.economy.wallet.Holds;
import dev.bulwark.economy.wallet.TestPlayers;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.ItemQuantity;
import dev.bulwark.platform.security.AuthorityLease;
import dev.bulwark.platform.refusal.Refusal;
import dev.bulwark.testsupport.IntegrationTest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random sequences of grants, purchases, holds (place, capture, release, repeated and
 * contradictory), loot, consumptions, adjustments and transfers both ways (with a counterpart
 * player) run against the real service and database. A reference model written here —
 * not the production code — predicts each outcome and the final state; the SQL projection, the
 * replay from the newest snapshot and the replay from the first event must all equal it, and a
 * replay to any earlier position must equal the model's state at that position.
 */
class LedgerReplayPropertyTests {

    /** Borrows the Spring context that the JUnit integration tests share (same configuration, same cache). */
    @IntegrationTest
    static class SharedContext {
    }

    private static final int SNAPSHOT_EVERY = 5;
    private static final Map<String, OfferModel> OFFERS = Map.of(
            "potion-pack", new OfferModel(Currency.GOLD, 50, "potion", 5, 99, 0),
            "sword", new OfferModel(Currency.GOLD, 300, "sword", 1, 1, 0),
            "soulbound-relic", new OfferModel(Currency.GEM, 8, "soulbound-relic", 1, 1, 0),
            "gem-to-gold", new OfferModel(Currency.GEM, 1, null, 0, 0, 100));

    record OfferModel(Currency currency, long price, String item, long itemsPerUnit, long maxStack, long goldPerUnit) {
    }

    private static final Map<String, Long> MAX_STACK = Map.of("potion", 99L, "sword", 1L, "soulbound-relic", 1L);
    private static final long COUNTERPART_GOLD = 1_000_000;

    sealed interface Op permits Grant, Buy, Place, Capture, Release, LootDrop, Consume, Adjust, Send, Receive {
    }

    /** Loot of {@code amount} of a currency and {@code quantity} of an item (either may be 0, not both). */
    record LootDrop(Currency currency, long amount, String item, long quantity) implements Op {
    }

    record Consume(String item, long quantity) implements Op {
    }

    /** Signed amounts. */
    record Adjust(Currency currency, long amount, String item, long quantity) implements Op {
    }

    /** GOLD and an item (0 for none) to the counterpart. */
    record Send(long gold, String item, long quantity) implements Op {
    }

    /** GOLD from the counterpart. */
    record Receive(long gold) implements Op {
    }

    record Grant(Currency currency, long amount) implements Op {
    }

    record Buy(String offerId, long quantity) implements Op {
    }

    record Place(int hold, Currency currency, long amount) implements Op {
    }

    record Capture(int hold) implements Op {
    }

    record Release(int hold) implements Op {
    }

    @Property(tries = 40)
    void replayFromSnapshotsAndEventsReproducesTheProjectionAndTheModel(@ForAll("operations") List<Op> ops) {
        ApplicationContext context = new TestContextManager(SharedContext.class).getTestContext().getApplicationContext();
        UUID player = TestPlayers.open(context);
        UUID counterpart = TestPlayers.open(context);
        context.getBean(Adjustments.class).apply(counterpart, "ops",
                new Change(Map.of(Currency.GOLD, COUNTERPART_GOLD - 1000), List.of()), "TEST");
        List<UUID> holdIds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            holdIds.add(UUID.randomUUID());
        }
        Model model = new Model(1000, 10);
        Map<Long, PlayerState> history = new HashMap<>();
        history.put(1L, new PlayerState(1, Map.of(Currency.GOLD, 0L, Currency.GEM, 0L),
                Map.of(Currency.GOLD, 0L, Currency.GEM, 0L), Map.of(), Map.of()));
        history.put(2L, model.state(holdIds));

        for (Op op : ops) {
            String expected = model.apply(op, holdIds);
            String actual = run(context, player, counterpart, op, holdIds);
            assertThat(actual).as("outcome of %s after %s", op, model).isEqualTo(expected);
            history.putIfAbsent(model.events, model.state(holdIds));
        }

        PlayerState expected = model.state(holdIds);
        assertThat(context.getBean(PlayerStore.class).projection(player)).contains(expected);
        Snapshots snapshots = context.getBean(Snapshots.class);
        assertThat(snapshots.replay(player)).isEqualTo(expected);
        assertThat(snapshots.replayFromStart(player)).isEqualTo(expected);
        assertThat(context.getBean(PlayerStore.class).projection(counterpart)).contains(snapshots.replayFromStart(counterpart));
        List<Long> due = new ArrayList<>();
        for (long s = SNAPSHOT_EVERY; s <= expected.lastSequence(); s += SNAPSHOT_EVERY) {
            due.add(s);
        }
        assertThat(snapshots.positions(player)).isEqualTo(due);
        for (long position = 1; position <= expected.lastSequence(); position++) {
            assertThat(snapshots.replay(player, position)).as("state at %d", position).isEqualTo(history.get(position));
        }
    }

    private static String run(ApplicationContext context, UUID player, UUID counterpart, Op op, List<UUID> holdIds) {
        Movements movements = context.getBean(Movements.class);
        AuthorityLease lease = new AuthorityLease(player, "gs-test", 1, Instant.now().plusSeconds(600));
        try {
            switch (op) {
                case Grant g -> context.getBean(Adjustments.class).apply(player, "ops",
                        new Change(Map.of(g.currency(), g.amount()), List.of()), "TEST");
                case Buy b -> context.getBean(Purchases.class).purchase(player, b.offerId(), b.quantity(), Map.of());
                case Place p -> context.getBean(Holds.class).place(player, holdIds.get(p.hold()), p.currency(),
                        p.amount(), "TEST");
                case Capture c -> context.getBean(Holds.class).capture(player, holdIds.get(c.hold()));
                case Release r -> context.getBean(Holds.class).release(player, holdIds.get(r.hold()));
                case LootDrop l -> context.getBean(Loot.class).grant(player, UUID.randomUUID().toString(), l, () -> lease,
                        () -> movements.normalise(amounts(l.currency(), l.amount()), items(l.item(), l.quantity()), false),
                        "TEST");
                case Consume c -> context.getBean(Loot.class).consume(player, lease.serverId(), UUID.randomUUID().toString(),
                        c, () -> lease, () -> movements.normalise(null, items(c.item(), c.quantity()), false), "TEST");
                case Adjust a -> context.getBean(Adjustments.class).apply(player, "ops",
                        movements.normalise(amounts(a.currency(), a.amount()), items(a.item(), a.quantity()), true), "TEST");
                case Send t -> context.getBean(Transfers.class).transfer(player, counterpart,
                        movements.normalise(amounts(Currency.GOLD, t.gold()), items(t.item(), t.quantity()), false));
                case Receive t -> context.getBean(Transfers.class).transfer(counterpart, player,
                        movements.normalise(amounts(Currency.GOLD, t.gold()), null, false));
            }
            return "ok";
        } catch (Refusal refused) {
            return refused.type();
        }
    }

    private static Map<Currency, Long> amounts(Currency currency, long amount) {
        return amount == 0 ? Map.of() : Map.of(currency, amount);
    }

    private static List<ItemQuantity> items(String item, long quantity) {
        return quantity == 0 ? List.of() : List.of(new ItemQuantity(item, quantity));
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Currency> currency = Arbitraries.of(Currency.class);
        Arbitrary<Long> grantAmount = Arbitraries.frequencyOf(
                Tuple.of(9, Arbitraries.longs().between(1, 2_000)),
                Tuple.of(1, Arbitraries.longs().between(Long.MAX_VALUE / 2, Long.MAX_VALUE)));
        Arbitrary<Integer> hold = Arbitraries.integers().between(0, 5);
        Arbitrary<Op> grant = Combinators.combine(currency, grantAmount).as(Grant::new);
        Arbitrary<Op> buy = Combinators.combine(Arbitraries.of(OFFERS.keySet()), Arbitraries.longs().between(1, 25))
                .as(Buy::new);
        Arbitrary<Op> place = Combinators.combine(hold, currency, Arbitraries.longs().between(1, 700)).as(Place::new);
        Arbitrary<Op> capture = hold.map(Capture::new);
        Arbitrary<Op> release = hold.map(Release::new);
        Arbitrary<String> item = Arbitraries.of(MAX_STACK.keySet());
        Arbitrary<Long> small = Arbitraries.longs().between(0, 40);
        Arbitrary<Op> loot = Combinators.combine(currency, Arbitraries.longs().between(1, 500), item, small)
                .as(LootDrop::new);
        Arbitrary<Op> consume = Combinators.combine(item, Arbitraries.longs().between(1, 30)).as(Consume::new);
        Arbitrary<Op> adjust = Combinators.combine(currency, Arbitraries.longs().between(-1_500, 500), item,
                Arbitraries.longs().between(-20, 20)).filter((c, a, i, q) -> a != 0 || q != 0).as(Adjust::new);
        Arbitrary<Op> send = Combinators.combine(Arbitraries.longs().between(1, 600), item, small).as(Send::new);
        Arbitrary<Op> receive = Arbitraries.longs().between(1, 600).map(Receive::new);
        return Arbitraries.frequencyOf(
                Tuple.of(2, grant), Tuple.of(4, buy), Tuple.of(3, place), Tuple.of(2, capture), Tuple.of(2, release),
                Tuple.of(3, loot), Tuple.of(2, consume), Tuple.of(2, adjust), Tuple.of(2, send), Tuple.of(1, receive))
                .list().ofMinSize(1).ofMaxSize(30);
    }

    /** The reference: plain arithmetic over balances, holds and items, written from the contract. */
    static final class Model {

        private final Map<Currency, Long> balance = new EnumMap<>(Currency.class);
        private final Map<Currency, Long> held = new EnumMap<>(Currency.class);
        private final Map<Integer, HoldState> holds = new HashMap<>();
        private final Map<String, Long> items = new HashMap<>();
        private final Map<String, Long> counterpartItems = new HashMap<>();
        private long events = 2;

        Model(long gold, long gem) {
            balance.put(Currency.GOLD, gold);
            balance.put(Currency.GEM, gem);
            held.put(Currency.GOLD, 0L);
            held.put(Currency.GEM, 0L);
        }

        String apply(Op op, List<UUID> holdIds) {
            switch (op) {
                case Grant g -> {
                    if (overflows(balance.get(g.currency()), held.get(g.currency()), g.amount())) {
                        return "balance-overflow";
                    }
                    balance.merge(g.currency(), g.amount(), Long::sum);
                }
                case Buy b -> {
                    OfferModel offer = OFFERS.get(b.offerId());
                    long price = offer.price() * b.quantity();
                    if (balance.get(offer.currency()) < price) {
                        return "insufficient-funds";
                    }
                    long gold = offer.goldPerUnit() * b.quantity();
                    long goldAfterPrice = balance.get(Currency.GOLD) - (offer.currency() == Currency.GOLD ? price : 0);
                    if (gold > 0 && overflows(goldAfterPrice, held.get(Currency.GOLD), gold)) {
                        return "balance-overflow";
                    }
                    if (offer.item() != null
                            && items.getOrDefault(offer.item(), 0L) + offer.itemsPerUnit() * b.quantity() > offer.maxStack()) {
                        return "max-stack-exceeded";
                    }
                    balance.merge(offer.currency(), -price, Long::sum);
                    balance.merge(Currency.GOLD, gold, Long::sum);
                    if (offer.item() != null) {
                        items.merge(offer.item(), offer.itemsPerUnit() * b.quantity(), Long::sum);
                    }
                }
                case Place p -> {
                    HoldState existing = holds.get(p.hold());
                    if (existing != null) {
                        return existing.currency() == p.currency() && existing.amount() == p.amount() ? "ok" : "hold-conflict";
                    }
                    if (balance.get(p.currency()) < p.amount()) {
                        return "insufficient-funds";
                    }
                    balance.merge(p.currency(), -p.amount(), Long::sum);
                    held.merge(p.currency(), p.amount(), Long::sum);
                    holds.put(p.hold(), new HoldState(p.currency(), p.amount(), HoldStatus.PLACED));
                }
                case LootDrop l -> {
                    String refused = canReceive(l.currency(), l.amount(), l.item(), l.quantity());
                    if (refused != null) {
                        return refused;
                    }
                    balance.merge(l.currency(), l.amount(), Long::sum);
                    addItem(items, l.item(), l.quantity());
                }
                case Consume c -> {
                    if (items.getOrDefault(c.item(), 0L) < c.quantity()) {
                        return "items-not-held";
                    }
                    addItem(items, c.item(), -c.quantity());
                }
                case Adjust a -> {
                    if (a.amount() < 0 && balance.get(a.currency()) < -a.amount()) {
                        return "insufficient-funds";
                    }
                    if (a.quantity() < 0 && items.getOrDefault(a.item(), 0L) < -a.quantity()) {
                        return "items-not-held";
                    }
                    String refused = canReceive(a.currency(), Math.max(0, a.amount()), a.item(), Math.max(0, a.quantity()));
                    if (refused != null) {
                        return refused;
                    }
                    balance.merge(a.currency(), a.amount(), Long::sum);
                    addItem(items, a.item(), a.quantity());
                }
                case Send t -> {
                    if (t.quantity() > 0 && t.item().equals("soulbound-relic")) {
                        return "untradable";
                    }
                    if (balance.get(Currency.GOLD) < t.gold()) {
                        return "insufficient-funds";
                    }
                    if (items.getOrDefault(t.item(), 0L) < t.quantity()) {
                        return "items-not-held";
                    }
                    if (t.quantity() > 0 && counterpartItems.getOrDefault(t.item(), 0L) + t.quantity() > MAX_STACK.get(t.item())) {
                        return "max-stack-exceeded";
                    }
                    balance.merge(Currency.GOLD, -t.gold(), Long::sum);
                    addItem(items, t.item(), -t.quantity());
                    addItem(counterpartItems, t.item(), t.quantity());
                }
                case Receive t -> {
                    String refused = canReceive(Currency.GOLD, t.gold(), null, 0);
                    if (refused != null) {
                        return refused;
                    }
                    balance.merge(Currency.GOLD, t.gold(), Long::sum);
                }
                case Capture c -> {
                    return settle(c.hold(), HoldStatus.CAPTURED);
                }
                case Release r -> {
                    return settle(r.hold(), HoldStatus.RELEASED);
                }
            }
            events++;
            return "ok";
        }

        private String settle(int index, HoldStatus to) {
            HoldState hold = holds.get(index);
            if (hold == null) {
                return "not-found";
            }
            if (hold.status() == to) {
                return "ok";
            }
            if (hold.status() != HoldStatus.PLACED) {
                return "hold-conflict";
            }
            held.merge(hold.currency(), -hold.amount(), Long::sum);
            if (to == HoldStatus.RELEASED) {
                balance.merge(hold.currency(), hold.amount(), Long::sum);
            }
            holds.put(index, new HoldState(hold.currency(), hold.amount(), to));
            events++;
            return "ok";
        }

        private String canReceive(Currency currency, long amount, String item, long quantity) {
            if (amount > 0 && overflows(balance.get(currency), held.get(currency), amount)) {
                return "balance-overflow";
            }
            if (quantity > 0 && items.getOrDefault(item, 0L) + quantity > MAX_STACK.get(item)) {
                return "max-stack-exceeded";
            }
            return null;
        }

        private static void addItem(Map<String, Long> items, String item, long quantity) {
            if (quantity != 0) {
                items.merge(item, quantity, Long::sum);
                items.remove(item, 0L);
            }
        }

        private static boolean overflows(long a, long b, long c) {
            return a + b < 0 || a + b + c < 0;
        }

        PlayerState state(List<UUID> holdIds) {
            Map<UUID, HoldState> byId = new HashMap<>();
            holds.forEach((index, hold) -> byId.put(holdIds.get(index), hold));
            return new PlayerState(events, balance, held, byId, items);
        }

        @Override
        public String toString() {
            return "Model[balance=" + balance + ", held=" + held + ", holds=" + holds + ", items=" + items + "]";
        }
    }
}
