package dev.bulwark.economy.sharding;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.events.Contracts;
import dev.bulwark.sharding.HashRing;
import dev.bulwark.sharding.TokenRange;
import tools.jackson.core.type.TypeReference;

/**
 * What one shard database records about the ring: the ring version it was told (with the whole
 * ring, so a router can rebuild it from any shard) and the ranges it owns under that version.
 * A write checks the ranges in its own transaction, so a router with an older ring cannot write
 * a player's rows onto a shard that no longer owns them.
 */
final class Ownership {

    private Ownership() {
    }

    static Optional<HashRing> stored(JdbcClient jdbc) {
        return jdbc.sql("SELECT ring_version, vnodes_per_shard, weights::text AS weights FROM shard_ring")
                .query((rs, n) -> HashRing.of(rs.getLong("ring_version"), rs.getInt("vnodes_per_shard"),
                        Contracts.MAPPER.readValue(rs.getString("weights"), new TypeReference<TreeMap<String, Double>>() {
                        })))
                .optional();
    }

    /** Records {@code ring} and this shard's ranges in it, replacing what was there (call in a transaction). */
    static void record(JdbcClient jdbc, String shard, HashRing ring) {
        jdbc.sql("DELETE FROM shard_ring").update();
        jdbc.sql("DELETE FROM shard_owned_range").update();
        jdbc.sql("""
                INSERT INTO shard_ring (shard_id, ring_version, vnodes_per_shard, weights)
                VALUES (:shard, :version, :vnodes, CAST(:weights AS jsonb))""")
                .param("shard", shard).param("version", ring.version()).param("vnodes", ring.vnodesPerShard())
                .param("weights", Contracts.MAPPER.writeValueAsString(Map.copyOf(ring.weights())))
                .update();
        List<TokenRange> ranges = ring.weights().containsKey(shard) ? ring.rangesOf(shard) : List.of();
        for (TokenRange range : ranges) {
            jdbc.sql("INSERT INTO shard_owned_range (first_token, last_token) VALUES (:first, :last)")
                    .param("first", range.first()).param("last", range.last()).update();
        }
    }

    /**
     * The condition a write adds to its first locking statement: true while this shard owns
     * {@code :ring_point} (the range starting at or before it reaches it).
     */
    static final String OWNS_POINT = """
            coalesce((SELECT r.last_token >= :ring_point FROM shard_owned_range r
                      WHERE r.first_token <= :ring_point ORDER BY r.first_token DESC LIMIT 1), false)""";
}
