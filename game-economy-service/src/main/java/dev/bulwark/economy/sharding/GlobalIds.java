package dev.bulwark.economy.sharding;

import java.util.UUID;

import dev.bulwark.sharding.RingKey;

/**
 * Ids of things that live with a player (a transfer, a saga, a purchase) that carry the owning
 * player's ring point in their first 64 bits and 64 random bits after (with the RFC 4122
 * variant). A look-up by such an id goes to the shard that owns the point, without scanning,
 * and the id stays valid when the player's range moves to another shard: it names a point on
 * the ring, never a shard. Ids made before sharding are random UUIDs; their look-ups try the
 * point's shard first and then the others ({@link Shards#lookupOrder}).
 */
public final class GlobalIds {

    private GlobalIds() {
    }

    /** A new id for something {@code owner} owns. */
    public static UUID newId(UUID owner) {
        return new UUID(RingKey.player(owner).point(), UUID.randomUUID().getLeastSignificantBits());
    }

    /** The ring point an id carries. */
    static long point(UUID id) {
        return id.getMostSignificantBits();
    }
}
