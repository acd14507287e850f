package dev.bulwark.economy.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.bulwark.economy.ledger.PlayerState.HoldState;
import dev.bulwark.economy.ledger.PlayerState.HoldStatus;
import dev.bulwark.events.Contracts;
import dev.bulwark.events.Payload;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.CurrencyGranted;
import dev.bulwark.events.economy.HoldCaptured;
import dev.bulwark.events.economy.HoldPlaced;
import dev.bulwark.events.economy.HoldReleased;
import dev.bulwark.events.economy.ItemQuantity;
import dev.bulwark.events.economy.ItemsConsumed;
import dev.bulwark.events.economy.LootGranted;
import dev.bulwark.events.economy.WalletOpened;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The plain-Java fold without a database, in milliseconds: random journeys of grants, loot,
 * consumptions and holds folded event by event equal a model kept by hand (what the SQL
 * projection must show, open holds only); a settled hold leaves the state; a snapshot taken
 * anywhere and folded on gives the same state. {@code LedgerReplayPropertyTests} checks the same
 * fold against the real rows.
 */
class PlayerStateFoldTests {

    private static final UUID PLAYER = UUID.randomUUID();
    private static final List<String> ITEMS = List.of("potion", "arrow");

    /** What a journey asks for; steps that would overdraw or settle nothing are skipped, as the service refuses them. */
    sealed interface Step {
    }

    record Grant(long gold) implements Step {
    }

    record Loot(String item, long quantity) implements Step {
    }

    record Consume(String item, long quantity) implements Step {
    }

    record Place(long gold) implements Step {
    }

    record Capture(int hold) implements Step {
    }

    record Release(int hold) implements Step {
    }

    @Provide
    Arbitrary<List<Step>> journeys() {
        Arbitrary<Step> step = Arbitraries.oneOf(
                Arbitraries.longs().between(1, 500).map(Grant::new),
                Combinators.combine(Arbitraries.of(ITEMS), Arbitraries.longs().between(1, 5)).as(Loot::new),
                Combinators.combine(Arbitraries.of(ITEMS), Arbitraries.longs().between(1, 5)).as(Consume::new),
                Arbitraries.longs().between(1, 300).map(Place::new),
                Arbitraries.integers().between(0, 9).map(Capture::new),
                Arbitraries.integers().between(0, 9).map(Release::new));
        return step.list().ofMaxSize(60);
    }

    @Property(tries = 300)
    void theFoldEqualsTheModelAndKeepsOnlyOpenHolds(@ForAll("journeys") List<Step> journey,
            @ForAll @IntRange(min = 0, max = 60) int snapshotAt) {
        Model model = new Model();
        List<Payload> events = model.events(journey);

        PlayerState state = PlayerState.empty();
        PlayerState resumed = null;
        for (int i = 0; i < events.size(); i++) {
            state = state.apply(i + 1, events.get(i));
            if (i + 1 == Math.min(snapshotAt, events.size())) {
                resumed = Contracts.MAPPER.readValue(Contracts.MAPPER.writeValueAsString(state), PlayerState.class);
            }
        }
        if (resumed != null) {
            for (int i = (int) resumed.lastSequence(); i < events.size(); i++) {
                resumed = resumed.apply(i + 1, events.get(i));
            }
            assertThat(resumed).as("snapshot, then the rest").isEqualTo(state);
        }

        assertThat(state).isEqualTo(model.state(events.size()));
        assertThat(state.holds().values()).allMatch(h -> h.status() == HoldStatus.PLACED);
        assertThat(state.holds().keySet()).containsExactlyInAnyOrderElementsOf(model.open.keySet());
    }

    @Example
    void thousandsOfSettledSagasLeaveNothingBehindAndFoldInLinearTime() {
        PlayerState state = PlayerState.empty().apply(1, new WalletOpened(PLAYER))
                .apply(2, new CurrencyGranted(PLAYER, Map.of(Currency.GOLD, 100_000L), "STARTER"));
        long sequence = 2;
        long started = System.nanoTime();
        for (int saga = 0; saga < 20_000; saga++) {
            UUID hold = UUID.randomUUID();
            state = state.apply(++sequence, new HoldPlaced(PLAYER, hold, Currency.GOLD, 1, "saga"));
            state = state.apply(++sequence, saga % 2 == 0
                    ? new HoldCaptured(PLAYER, hold, Currency.GOLD, 1)
                    : new HoldReleased(PLAYER, hold, Currency.GOLD, 1));
        }
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(state.holds()).isEmpty();
        assertThat(state.balance(Currency.GOLD)).as("half the holds captured").isEqualTo(100_000 - 10_000);
        assertThat(millis).as("40,000 events; copying every hold ever placed took minutes").isLessThan(5_000);
    }

    @Example
    void settlingAHoldTwiceOrOneNeverPlacedIsACorruptStream() {
        UUID hold = UUID.randomUUID();
        PlayerState captured = PlayerState.empty().apply(1, new WalletOpened(PLAYER))
                .apply(2, new CurrencyGranted(PLAYER, Map.of(Currency.GOLD, 10L), "STARTER"))
                .apply(3, new HoldPlaced(PLAYER, hold, Currency.GOLD, 5, "saga"))
                .apply(4, new HoldCaptured(PLAYER, hold, Currency.GOLD, 5));

        assertThatThrownBy(() -> captured.apply(5, new HoldReleased(PLAYER, hold, Currency.GOLD, 5)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> captured.apply(5, new HoldCaptured(PLAYER, UUID.randomUUID(), Currency.GOLD, 1)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Example
    void aSnapshotWrittenWithSettledHoldsReadsAsTheOpenOnes() {
        UUID open = UUID.randomUUID();
        UUID settled = UUID.randomUUID();
        PlayerState old = new PlayerState(7, Map.of(Currency.GOLD, 5L), Map.of(Currency.GOLD, 3L),
                Map.of(open, new HoldState(Currency.GOLD, 3, HoldStatus.PLACED),
                        settled, new HoldState(Currency.GOLD, 9, HoldStatus.CAPTURED)),
                Map.of());

        PlayerState read = Contracts.MAPPER.readValue(Contracts.MAPPER.writeValueAsString(old), PlayerState.class);

        assertThat(read.holds()).containsOnlyKeys(open);
    }

    /** The expected state, computed without PlayerState. */
    private static final class Model {
        long gold;
        long held;
        final Map<String, Long> items = new TreeMap<>();
        final Map<UUID, Long> open = new LinkedHashMap<>();
        final List<UUID> placed = new ArrayList<>();

        List<Payload> events(List<Step> journey) {
            List<Payload> events = new ArrayList<>(List.of(new WalletOpened(PLAYER)));
            for (Step step : journey) {
                switch (step) {
                    case Grant g -> {
                        gold += g.gold();
                        events.add(new CurrencyGranted(PLAYER, Map.of(Currency.GOLD, g.gold()), "TEST"));
                    }
                    case Loot l -> {
                        items.merge(l.item(), l.quantity(), Long::sum);
                        events.add(new LootGranted(PLAYER, UUID.randomUUID().toString(), "gs", 1, Map.of(),
                                List.of(new ItemQuantity(l.item(), l.quantity())), "TEST"));
                    }
                    case Consume c -> {
                        if (items.getOrDefault(c.item(), 0L) >= c.quantity()) {
                            items.merge(c.item(), -c.quantity(), Long::sum);
                            items.remove(c.item(), 0L);
                            events.add(new ItemsConsumed(PLAYER, UUID.randomUUID().toString(), "gs", 1,
                                    List.of(new ItemQuantity(c.item(), c.quantity())), "TEST"));
                        }
                    }
                    case Place p -> {
                        if (gold >= p.gold()) {
                            UUID hold = UUID.randomUUID();
                            gold -= p.gold();
                            held += p.gold();
                            open.put(hold, p.gold());
                            placed.add(hold);
                            events.add(new HoldPlaced(PLAYER, hold, Currency.GOLD, p.gold(), "TEST"));
                        }
                    }
                    case Capture c -> settle(c.hold(), false, events);
                    case Release r -> settle(r.hold(), true, events);
                }
            }
            return events;
        }

        private void settle(int index, boolean release, List<Payload> events) {
            if (index >= placed.size() || !open.containsKey(placed.get(index))) {
                return;
            }
            UUID hold = placed.get(index);
            long amount = open.remove(hold);
            held -= amount;
            if (release) {
                gold += amount;
                events.add(new HoldReleased(PLAYER, hold, Currency.GOLD, amount));
            } else {
                events.add(new HoldCaptured(PLAYER, hold, Currency.GOLD, amount));
            }
        }

        PlayerState state(long lastSequence) {
            Map<Currency, Long> balances = new EnumMap<>(Map.of(Currency.GOLD, gold, Currency.GEM, 0L));
            Map<Currency, Long> heldByCurrency = new EnumMap<>(Map.of(Currency.GOLD, held, Currency.GEM, 0L));
            Map<UUID, HoldState> holds = new LinkedHashMap<>();
            open.forEach((id, amount) -> holds.put(id, new HoldState(Currency.GOLD, amount, HoldStatus.PLACED)));
            return new PlayerState(lastSequence, balances, heldByCurrency, holds, items);
        }
    }
}
