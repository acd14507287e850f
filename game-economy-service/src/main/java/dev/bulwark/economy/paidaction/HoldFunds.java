package dev.bulwark.economy.paidaction;

import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.bulwark.economy.wallet.Holds;
import dev.bulwark.events.economy.Currency;

/** Paid actions pay through the wallets' holds: each step a ledger event, idempotent per hold id. */
@Component
class HoldFunds implements Funds {

    private final Holds holds;

    HoldFunds(Holds holds) {
        this.holds = holds;
    }

    @Override
    public void hold(UUID playerId, UUID holdId, Currency currency, long amount, String reason) {
        holds.place(playerId, holdId, currency, amount, reason);
    }

    @Override
    public void capture(UUID playerId, UUID holdId) {
        holds.capture(playerId, holdId);
    }

    @Override
    public void release(UUID playerId, UUID holdId) {
        holds.release(playerId, holdId);
    }
}
