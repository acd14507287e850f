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
     * Splits this shard's recorded ranges so that each of {@code pieces} (ranges it owns) is a
     * row of its own, which a resharding fence can lock without pausing the rest of the range.
     * Ownership does not change (call in a transaction).
     */
    static void split(JdbcClient jdbc, List<TokenRange> pieces) {
        for (TokenRange piece : pieces) {
            record Row(long first, long last) {
            }
            Row row = jdbc.sql("""
                    SELECT first_token, last_token FROM shard_owned_range
                    WHERE first_token <= :first ORDER BY first_token DESC LIMIT 1 FOR UPDATE""")
                    .param("first", piece.first()).query((rs, n) -> new Row(rs.getLong(1), rs.getLong(2))).optional()
                    .filter(r -> r.last() >= piece.last())
                    .orElseThrow(() -> new IllegalStateException("This shard does not own " + piece));
            if (row.first() == piece.first() && row.last() == piece.last()) {
                continue;
            }
            if (row.first() < piece.first()) {
                jdbc.sql("UPDATE shard_owned_range SET last_token = :last WHERE first_token = :first")
                        .param("first", row.first()).param("last", piece.first() - 1).update();
                jdbc.sql("INSERT INTO shard_owned_range (first_token, last_token) VALUES (:first, :last)")
                        .param("first", piece.first()).param("last", row.last()).update();
            }
            if (row.last() > piece.last()) {
                jdbc.sql("UPDATE shard_owned_range SET last_token = :last WHERE first_token = :first")
                        .param("first", piece.first()).param("last", piece.last()).update();
                jdbc.sql("INSERT INTO shard_owned_range (first_token, last_token) VALUES (:first, :last)")
                        .param("first", piece.last() + 1).param("last", row.last()).update();
            }
        }
    }

    /**
     * The switch on one shard: it records {@code ring} and gives up {@code lost} (rows made by
     * {@link #split}) and takes {@code gained} (call in a transaction).
     */
    static void switchTo(JdbcClient jdbc, String shard, HashRing ring, List<TokenRange> lost, List<TokenRange> gained) {
        for (TokenRange range : lost) {
            int deleted = jdbc.sql("DELETE FROM shard_owned_range WHERE first_token = :first AND last_token = :last")
                    .param("first", range.first()).param("last", range.last()).update();
            if (deleted != 1) {
                throw new IllegalStateException("Shard " + shard + " has no range row " + range + " to give up");
            }
        }
        for (TokenRange range : gained) {
            jdbc.sql("INSERT INTO shard_owned_range (first_token, last_token) VALUES (:first, :last)")
                    .param("first", range.first()).param("last", range.last()).update();
        }
        jdbc.sql("""
                UPDATE shard_ring SET ring_version = :version, vnodes_per_shard = :vnodes,
                       weights = CAST(:weights AS jsonb), recorded_at = now()""")
                .param("version", ring.version()).param("vnodes", ring.vnodesPerShard())
                .param("weights", Contracts.MAPPER.writeValueAsString(Map.copyOf(ring.weights())))
                .update();
    }

    /**
     * The condition a write adds to its first locking statement: true while this shard owns
     * {@code :ring_point} (the range starting at or before it reaches it). It share-locks that
     * range's row, so a resharding fence (which locks the moving rows for update) waits for the
     * writes in flight on them and holds new ones until the switch, after which they are refused
     * and go to the new owner; writes on other ranges never wait.
     */
    static final String OWNS_POINT = """
            coalesce((SELECT r.last_token >= :ring_point FROM shard_owned_range r
                      WHERE r.first_token <= :ring_point ORDER BY r.first_token DESC LIMIT 1 FOR SHARE), false)""";
}
