package dev.bulwark.economy.movement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.bulwark.economy.catalog.Catalog;
import dev.bulwark.economy.catalog.Catalog.Item;
import dev.bulwark.economy.ledger.Ledger;
import dev.bulwark.economy.ledger.PlayerStore;
import dev.bulwark.economy.movement.Movements.Change;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.ItemQuantity;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * The wallet and inventory movement rules shared by loot, consumptions, transfers and
 * adjustments, without Spring or a database: {@link Movements} reads only the catalog, a held
 * quantity and the locked stream's balances, and those three reads are stubbed here with the
 * seeded catalog's items (potion stacks to 99, a sword to 1).
 */
class MovementRulesTests {

    private static final UUID PLAYER = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
    private static final Map<String, Item> CATALOG = Map.of(
            "potion", new Item("potion", "Healing Potion", true, 99, true),
            "sword", new Item("sword", "Sword", false, 1, true),
            "soulbound-relic", new Item("soulbound-relic", "Soulbound Relic", false, 1, false));

    private final PlayerStore store = mock(PlayerStore.class);
    private final Movements movements = new Movements(catalog(), store);

    private static Catalog catalog() {
        Catalog catalog = mock(Catalog.class);
        when(catalog.item(anyString())).thenAnswer(call -> Optional.ofNullable(CATALOG.get(call.<String>getArgument(0))));
        return catalog;
    }

    @Provide
    Arbitrary<List<ItemQuantity>> positiveLines() {
        return Combinators.combine(Arbitraries.of(CATALOG.keySet()), Arbitraries.longs().between(1, 1_000_000))
                .as(ItemQuantity::new).list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 200)
    void linesOfOneItemMergeIntoOneSortedLineWithTheirSum(@ForAll("positiveLines") List<ItemQuantity> lines) {
        Change change = movements.normalise(Map.of(), lines, false);

        Map<String, Long> sums = new HashMap<>();
        lines.forEach(line -> sums.merge(line.itemId(), line.quantity(), Long::sum));
        assertThat(change.items()).extracting(ItemQuantity::itemId).isSorted().doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(sums.keySet());
        change.items().forEach(line -> assertThat(line.quantity()).isEqualTo(sums.get(line.itemId())));
    }

    @Property(tries = 200)
    void aSignedChangeSplitsIntoWhatComesInAndWhatGoesOut(@ForAll @LongRange(min = -1_000, max = 1_000) long gold,
            @ForAll @LongRange(min = -1_000, max = 1_000) long potions, @ForAll @LongRange(min = -5, max = 5) long swords) {
        Map<Currency, Long> currency = gold == 0 ? Map.of() : Map.of(Currency.GOLD, gold);
        List<ItemQuantity> items = List.of(new ItemQuantity("potion", potions), new ItemQuantity("sword", swords)).stream()
                .filter(line -> line.quantity() != 0).toList();
        if (currency.isEmpty() && items.isEmpty()) {
            assertRefused(() -> movements.normalise(currency, items, true), "empty-change");
            return;
        }
        Change change = movements.normalise(currency, items, true);
        Change in = change.incoming();
        Change out = change.outgoing();

        assertThat(in.currency().values()).allMatch(amount -> amount > 0);
        assertThat(out.currency().values()).allMatch(amount -> amount > 0);
        assertThat(in.currency().getOrDefault(Currency.GOLD, 0L) - out.currency().getOrDefault(Currency.GOLD, 0L))
                .isEqualTo(gold);
        for (ItemQuantity line : items) {
            long inQuantity = quantity(in, line.itemId());
            long outQuantity = quantity(out, line.itemId());
            assertThat(inQuantity == 0 || outQuantity == 0).as("a line is either in or out").isTrue();
            assertThat(inQuantity - outQuantity).isEqualTo(line.quantity());
        }
    }

    @Test
    void amountsArePositiveUnlessSignedAndNeverZero() {
        assertRefused(() -> movements.normalise(Map.of(Currency.GOLD, -5L), List.of(), false), "invalid-amount");
        assertRefused(() -> movements.normalise(Map.of(Currency.GOLD, 0L), List.of(), true), "invalid-amount");
        assertRefused(() -> movements.normalise(Map.of(Currency.GOLD, Long.MIN_VALUE), List.of(), true), "invalid-amount");
        assertRefused(() -> movements.normalise(Map.of(), List.of(new ItemQuantity("potion", -1)), false), "invalid-amount");
        assertRefused(() -> movements.normalise(Map.of(), List.of(new ItemQuantity("potion", 0)), true), "invalid-amount");
        assertThat(movements.normalise(Map.of(Currency.GOLD, -5L), List.of(new ItemQuantity("potion", -1)), true).outgoing())
                .isEqualTo(new Change(Map.of(Currency.GOLD, 5L), List.of(new ItemQuantity("potion", 1))));
    }

    @Test
    void nothingToMoveUnknownItemsAndOverflowingLinesAreRefused() {
        assertRefused(() -> movements.normalise(null, null, false), "empty-change");
        assertRefused(() -> movements.normalise(Map.of(), List.of(new ItemQuantity("potion", 3), new ItemQuantity("potion", -3)),
                true), "empty-change");
        assertRefused(() -> movements.normalise(Map.of(), List.of(new ItemQuantity("dragon-egg", 1)), false),
                "unknown-item");
        assertRefused(() -> movements.normalise(Map.of(), List.of(new ItemQuantity("potion", Long.MAX_VALUE),
                new ItemQuantity("potion", 1)), false), "amount-too-large");
    }

    @Property(tries = 200)
    void aStackTakesUpToItsMaximumAndNotOneMore(@ForAll @LongRange(min = 0, max = 99) long held,
            @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long incoming) {
        when(store.itemQuantity(PLAYER, "potion")).thenReturn(held);
        Change change = new Change(Map.of(), List.of(new ItemQuantity("potion", incoming)));

        if (held + incoming <= 99 && incoming <= 99) {
            assertThatCode(() -> movements.checkCanReceive(stream(0, 0), change)).doesNotThrowAnyException();
        } else {
            assertRefused(() -> movements.checkCanReceive(stream(0, 0), change), "max-stack-exceeded");
        }
    }

    @Property(tries = 200)
    void aBalanceNeverOverflowsCountingWhatIsHeld(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long balance,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long held, @ForAll @LongRange(min = 1) long incoming) {
        Change change = new Change(Map.of(Currency.GOLD, incoming), List.of());

        if (incoming <= Long.MAX_VALUE - balance - held) {
            assertThatCode(() -> movements.checkCanReceive(stream(balance, held), change)).doesNotThrowAnyException();
        } else {
            assertRefused(() -> movements.checkCanReceive(stream(balance, held), change), "balance-overflow");
        }
    }

    @Property(tries = 200)
    void onlySpendableFundsAndHeldItemsCanLeave(@ForAll @LongRange(min = 0, max = 10_000) long balance,
            @ForAll @LongRange(min = 0, max = 10_000) long onHold, @ForAll @LongRange(min = 1, max = 10_000) long gold,
            @ForAll @LongRange(min = 0, max = 99) long potionsHeld, @ForAll @LongRange(min = 1, max = 99) long potions) {
        when(store.itemQuantity(PLAYER, "potion")).thenReturn(potionsHeld);
        Ledger.Stream stream = stream(balance, onHold);

        Change funds = new Change(Map.of(Currency.GOLD, gold), List.of());
        if (gold <= balance) {
            assertThatCode(() -> movements.checkCanGive(stream, funds)).doesNotThrowAnyException();
        } else {
            assertRefused(() -> movements.checkCanGive(stream, funds), "insufficient-funds");
        }
        Change items = new Change(Map.of(), List.of(new ItemQuantity("potion", potions)));
        if (potions <= potionsHeld) {
            assertThatCode(() -> movements.checkCanGive(stream, items)).doesNotThrowAnyException();
        } else {
            assertRefused(() -> movements.checkCanGive(stream, items), "items-not-held");
        }
    }

    /** A locked stream with this GOLD balance and this much GOLD on hold (none of the rest). */
    private static Ledger.Stream stream(long gold, long heldGold) {
        Ledger.Stream stream = mock(Ledger.Stream.class);
        when(stream.playerId()).thenReturn(PLAYER);
        Map<Currency, Long> balances = new EnumMap<>(Map.of(Currency.GOLD, gold, Currency.GEM, 0L));
        Map<Currency, Long> held = new EnumMap<>(Map.of(Currency.GOLD, heldGold, Currency.GEM, 0L));
        for (Currency currency : Currency.values()) {
            when(stream.balance(currency)).thenReturn(balances.get(currency));
            when(stream.held(currency)).thenReturn(held.get(currency));
        }
        return stream;
    }

    private static long quantity(Change change, String itemId) {
        return change.items().stream().filter(line -> line.itemId().equals(itemId)).mapToLong(ItemQuantity::quantity)
                .sum();
    }

    private static void assertRefused(Runnable rule, String type) {
        assertThatThrownBy(rule::run).isInstanceOfSatisfying(MovementRefusal.class,
                refusal -> assertThat(refusal.type()).isEqualTo(type));
    }
}
