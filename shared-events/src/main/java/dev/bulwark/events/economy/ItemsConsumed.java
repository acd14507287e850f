package dev.bulwark.events.economy;

import java.util.List;
import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * Items used up in play (a sink), reported by the game server holding the player.
 *
 * @param consumptionId the request's Idempotency-Key
 * @param items         positive quantities that left the inventory
 */
public record ItemsConsumed(UUID playerId, String consumptionId, String serverId, long epoch,
        List<ItemQuantity> items, String reason) implements Payload {

    public ItemsConsumed {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
