package dev.bulwark.economy.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContextManager;

import dev.bulwark.economy.ledger.PlayerState.HoldState;
import dev.bulwark.economy.ledger.PlayerState.HoldStatus;
import dev.bulwark.economy.purchase.Purchases;
import dev.bulwark.economy.wallet.Holds;
import dev.bulwark.economy.wallet.TestPlayers;
import dev.bulwark.economy.wallet.Wallets;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.platform.web.ApiException;
import dev.bulwark.testsupport.IntegrationTest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random sequences of grants, purchases and holds (place, capture, release, repeated and
 * contradictory) run against the real service and database. A reference model written here —
 * not the production code — predicts each outcome and the final state; the SQL projection, the
 * replay from the newest snapshot and the replay from the first event must all equal it.
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

    sealed interface Op permits Grant, Buy, Place, Capture, Release {
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
        List<UUID> holdIds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            holdIds.add(UUID.randomUUID());
        }
        Model model = new Model(1000, 10);

        for (Op op : ops) {
            String expected = model.apply(op, holdIds);
            String actual = run(context, player, op, holdIds);
            assertThat(actual).as("outcome of %s after %s", op, model).isEqualTo(expected);
        }

        PlayerState expected = model.state(holdIds);
        assertThat(context.getBean(PlayerStore.class).projection(player)).contains(expected);
        Snapshots snapshots = context.getBean(Snapshots.class);
        assertThat(snapshots.replay(player)).isEqualTo(expected);
        assertThat(snapshots.replayFromStart(player)).isEqualTo(expected);
        List<Long> due = new ArrayList<>();
        for (long s = SNAPSHOT_EVERY; s <= expected.lastSequence(); s += SNAPSHOT_EVERY) {
            due.add(s);
        }
        assertThat(snapshots.positions(player)).isEqualTo(due);
    }

    private static String run(ApplicationContext context, UUID player, Op op, List<UUID> holdIds) {
        try {
            switch (op) {
                case Grant g -> context.getBean(Wallets.class).grant(player, Map.of(g.currency(), g.amount()), "TEST");
                case Buy b -> context.getBean(Purchases.class).purchase(player, b.offerId(), b.quantity(), Map.of());
                case Place p -> context.getBean(Holds.class).place(player, holdIds.get(p.hold()), p.currency(),
                        p.amount(), "TEST");
                case Capture c -> context.getBean(Holds.class).capture(player, holdIds.get(c.hold()));
                case Release r -> context.getBean(Holds.class).release(player, holdIds.get(r.hold()));
            }
            return "ok";
        } catch (ApiException refused) {
            return refused.type();
        }
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
        return Arbitraries.frequencyOf(
                Tuple.of(2, grant), Tuple.of(4, buy), Tuple.of(3, place), Tuple.of(2, capture), Tuple.of(2, release))
                .list().ofMinSize(1).ofMaxSize(30);
    }

    /** The reference: plain arithmetic over balances, holds and items, written from the contract. */
    static final class Model {

        private final Map<Currency, Long> balance = new EnumMap<>(Currency.class);
        private final Map<Currency, Long> held = new EnumMap<>(Currency.class);
        private final Map<Integer, HoldState> holds = new HashMap<>();
        private final Map<String, Long> items = new HashMap<>();
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
