package dev.bulwark.economy.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.bulwark.economy.ledger.PlayerState.HoldStatus;
import dev.bulwark.economy.ledger.PlayerStore;
import dev.bulwark.economy.movement.MovementRefusal;
import dev.bulwark.events.economy.Currency;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The rules of one hold, without a database: placed once per id, settled once. */
class HoldRulesTests {

    private static final UUID HOLD = UUID.fromString("00000000-0000-0000-0000-00000000b01d");

    @Property(tries = 200)
    void aNewHoldIsPlacedExactlyWhenTheSpendableBalanceCoversIt(@ForAll @LongRange(min = 1) long amount,
            @ForAll @LongRange(min = 0) long spendable) {
        if (spendable >= amount) {
            assertThat(HoldRules.mustPlace(HOLD, Optional.empty(), Currency.GOLD, amount, spendable)).isTrue();
        } else {
            assertRefused(() -> HoldRules.mustPlace(HOLD, Optional.empty(), Currency.GOLD, amount, spendable),
                    "insufficient-funds");
        }
    }

    @Property(tries = 200)
    void theSameHoldIdAnswersWithTheExistingHoldWhateverTheBalanceAndRefusesAnotherAmount(
            @ForAll @LongRange(min = 1, max = 1_000) long amount, @ForAll @LongRange(min = 0) long spendable,
            @ForAll HoldStatus status) {
        Optional<PlayerStore.Hold> existing = Optional.of(new PlayerStore.Hold(HOLD, Currency.GOLD, amount, status, "x"));

        assertThat(HoldRules.mustPlace(HOLD, existing, Currency.GOLD, amount, spendable)).isFalse();
        assertRefused(() -> HoldRules.mustPlace(HOLD, existing, Currency.GOLD, amount + 1, spendable), "hold-conflict");
        assertRefused(() -> HoldRules.mustPlace(HOLD, existing, Currency.GEM, amount, spendable), "hold-conflict");
    }

    @Test
    void aHoldIsForAPositiveAmount() {
        assertRefused(() -> HoldRules.checkAmount(0), "invalid-amount");
        assertRefused(() -> HoldRules.checkAmount(-5), "invalid-amount");
    }

    /** Whatever settlements are asked for, in whatever order, the first one happens and no other. */
    @Property(tries = 200)
    void aHoldSettlesOnceTheWayItWasFirstAskedTo(@ForAll @Size(min = 1, max = 8) List<Boolean> captures) {
        HoldStatus status = HoldStatus.PLACED;
        int settlements = 0;
        HoldStatus first = captures.getFirst() ? HoldStatus.CAPTURED : HoldStatus.RELEASED;
        for (boolean capture : captures) {
            HoldStatus to = capture ? HoldStatus.CAPTURED : HoldStatus.RELEASED;
            if (to == first) {
                if (HoldRules.mustSettle(HOLD, status, to)) {
                    settlements++;
                    status = to;
                }
            } else {
                HoldStatus now = status;
                assertRefused(() -> HoldRules.mustSettle(HOLD, now, to), "hold-conflict");
            }
        }
        assertThat(settlements).isEqualTo(1);
        assertThat(status).isEqualTo(first);
    }

    private static void assertRefused(Runnable rule, String type) {
        assertThatThrownBy(rule::run).isInstanceOfSatisfying(MovementRefusal.class,
                refusal -> assertThat(refusal.type()).isEqualTo(type));
    }
}
