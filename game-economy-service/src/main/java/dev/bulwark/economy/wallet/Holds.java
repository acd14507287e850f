package dev.bulwark.economy.wallet;

import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.bulwark.economy.ledger.Ledger;
import dev.bulwark.economy.ledger.PlayerState.HoldStatus;
import dev.bulwark.economy.ledger.PlayerStore;
import dev.bulwark.economy.movement.MovementRefusal;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.HoldCaptured;
import dev.bulwark.events.economy.HoldPlaced;
import dev.bulwark.events.economy.HoldReleased;

/**
 * Reservations of funds for actions that finish later (saga steps). Each call is idempotent per
 * (player, holdId) and each change is one ledger event: place moves spendable → held, capture
 * spends the held funds, release returns them. A hold is settled once: capturing a released hold
 * (or the reverse) is refused, repeating the same settlement is a no-op.
 */
@Service
public class Holds {

    private final Ledger ledger;
    private final PlayerStore store;

    Holds(Ledger ledger, PlayerStore store) {
        this.ledger = ledger;
        this.store = store;
    }

    public record Hold(UUID playerId, UUID holdId, Currency currency, long amount, HoldStatus status) {
    }

    /** Reserves {@code amount}; the same holdId again returns the existing hold if it asked for the same. */
    public Hold place(UUID playerId, UUID holdId, Currency currency, long amount, String reason) {
        HoldRules.checkAmount(amount);
        return ledger.write(playerId, () -> placeLocked(playerId, holdId, currency, amount, reason));
    }

    private Hold placeLocked(UUID playerId, UUID holdId, Currency currency, long amount, String reason) {
        Ledger.Stream stream = ledger.lock(playerId).orElseThrow(MovementRefusal::walletNotFound);
        var existing = store.hold(playerId, holdId);
        if (!HoldRules.mustPlace(holdId, existing, currency, amount, stream.balance(currency))) {
            return new Hold(playerId, holdId, currency, amount, existing.get().status());
        }
        stream.append(new HoldPlaced(playerId, holdId, currency, amount, reason));
        return new Hold(playerId, holdId, currency, amount, HoldStatus.PLACED);
    }

    /** Spends the held funds. */
    public Hold capture(UUID playerId, UUID holdId) {
        return ledger.write(playerId, () -> settle(playerId, holdId, HoldStatus.CAPTURED));
    }

    /** Returns the held funds to the spendable balance. */
    public Hold release(UUID playerId, UUID holdId) {
        return ledger.write(playerId, () -> settle(playerId, holdId, HoldStatus.RELEASED));
    }

    private Hold settle(UUID playerId, UUID holdId, HoldStatus to) {
        Ledger.Stream stream = ledger.lock(playerId).orElseThrow(MovementRefusal::walletNotFound);
        var hold = store.hold(playerId, holdId).orElseThrow(MovementRefusal::holdNotFound);
        if (!HoldRules.mustSettle(holdId, hold.status(), to)) {
            return new Hold(playerId, holdId, hold.currency(), hold.amount(), to);
        }
        stream.append(to == HoldStatus.CAPTURED
                ? new HoldCaptured(playerId, holdId, hold.currency(), hold.amount())
                : new HoldReleased(playerId, holdId, hold.currency(), hold.amount()));
        return new Hold(playerId, holdId, hold.currency(), hold.amount(), to);
    }
}
