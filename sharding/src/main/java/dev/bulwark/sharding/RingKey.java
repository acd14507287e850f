package dev.bulwark.sharding;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;

/**
 * What the ring places: an entity id with its type. The type decides the hash, so that the same
 * UUID as a player and as a guild lands on unrelated points.
 *
 * <p>The point of a key is fixed for ever (it is stored beside rows and compared across versions
 * of the code): the first 8 bytes, read little-endian, of MurmurHash3 x64 128-bit over the id's
 * 16 bytes in RFC 4122 order (most significant long first, big-endian), with seed 0 for players.
 * Guilds get the seed's "extra mixing" as a hash of their own: the same bytes under another seed
 * (and thus, for Murmur3, an unrelated function), so a guild's point tells nothing about any
 * player's point — not even when a guild id is derived from, or equal to, its leader's id.
 */
public record RingKey(Kind kind, UUID id) {

    /** The entity types the ring knows; each has its own hash function (never reorder the seeds). */
    public enum Kind {
        PLAYER(0),
        GUILD(0x6775696c); // "guil": any fixed seed other than the players' one

        private final HashFunction hash;

        Kind(int seed) {
            this.hash = Hashing.murmur3_128(seed);
        }
    }

    public RingKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    public static RingKey player(UUID playerId) {
        return new RingKey(Kind.PLAYER, playerId);
    }

    public static RingKey guild(UUID guildId) {
        return new RingKey(Kind.GUILD, guildId);
    }

    /** The key's place on the ring; stable across JVMs, versions and rings (store it with the row). */
    public long point() {
        byte[] bytes = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
        return kind.hash.hashBytes(bytes).asLong();
    }
}
