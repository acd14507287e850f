package dev.bulwark.economy.wallet;

import java.util.Optional;
import java.util.UUID;

import dev.bulwark.economy.ledger.PlayerState.HoldStatus;
import dev.bulwark.economy.ledger.PlayerStore;
import dev.bulwark.economy.movement.MovementRefusal;
import dev.bulwark.events.economy.Currency;

/**
 * The rules of one hold, apart from the stream and the rows they are checked against: a hold
 * is for a positive amount, its id places it once (the same request again is answered by the
 * existing hold, another amount is refused), and it settles once (the same settlement again is a
 * no-op, the other one is refused).
 */
final class HoldRules {

    private HoldRules() {
    }

    static void checkAmount(long amount) {
        if (amount <= 0) {
            throw MovementRefusal.invalidAmount("A hold is for a positive amount");
        }
    }

    /** Whether a new hold must be placed (true) or the existing one answers the request (false). */
    static boolean mustPlace(UUID holdId, Optional<PlayerStore.Hold> existing, Currency currency, long amount,
            long spendable) {
        if (existing.isPresent()) {
            if (existing.get().currency() != currency || existing.get().amount() != amount) {
                throw MovementRefusal.holdConflict("Hold " + holdId + " exists with another amount");
            }
            return false;
        }
        if (spendable < amount) {
            throw MovementRefusal.insufficientFunds(currency, amount, spendable);
        }
        return true;
    }

    /** Whether settling a hold now {@code current} as {@code to} appends an event (true) or repeats one (false). */
    static boolean mustSettle(UUID holdId, HoldStatus current, HoldStatus to) {
        if (current == to) {
            return false;
        }
        if (current != HoldStatus.PLACED) {
            throw MovementRefusal.holdConflict("Hold " + holdId + " is already " + current);
        }
        return true;
    }
}
