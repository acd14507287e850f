package dev.bulwark.economy.paidaction;

import java.util.UUID;

import dev.bulwark.events.economy.Currency;

/**
 * What a paid action needs from the wallets: a hold that reserves the price, then its capture
 * (the effect happened) or its release (it certainly did not). Each is a ledger event and
 * idempotent per hold id, so a replayed saga step has no second effect.
 */
public interface Funds {

    /** Reserves {@code amount}; refuses (409 insufficient-funds) when the spendable balance is short. */
    void hold(UUID playerId, UUID holdId, Currency currency, long amount, String reason);

    void capture(UUID playerId, UUID holdId);

    void release(UUID playerId, UUID holdId);
}
