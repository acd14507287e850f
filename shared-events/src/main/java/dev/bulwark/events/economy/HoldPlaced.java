package dev.bulwark.events.economy;

import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * Funds moved from a player's spendable balance to held, reserved for a pending action (a
 * saga step). Settled later by exactly one {@link HoldCaptured} or {@link HoldReleased}.
 *
 * @param holdId the caller's id for the hold; placing it again is a no-op
 * @param reason why, e.g. {@code PURCHASE:<purchaseId>}
 */
public record HoldPlaced(UUID playerId, UUID holdId, Currency currency, long amount, String reason)
        implements Payload {
}
