package dev.bulwark.economy.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.economy.sharding.Shard;
import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.sharding.HashRing;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.swagger.v3.oas.annotations.Operation;

/**
 * The load and health of each economy shard, for the console's shards page: what the ring gives
 * it (weight, vnodes, share), what it holds (players, held funds) and how busy and well it is
 * (transactions a second, connections, a probe's round trip, its breaker).
 *
 * <p>The transaction rate comes from PostgreSQL's own counters ({@code pg_stat_database}), which
 * only count up: the rate is the difference from this replica's previous read of the same shard,
 * so the first read after a start says null, and a page refreshed every few seconds shows the
 * recent rate. Nothing here writes or keeps more than one sample per shard.
 */
@RestController
@PreAuthorize("@access.isOperator()")
class ShardLoadController {

    /** A sample older than this says nothing about the load now: the rate is left null. */
    private static final Duration STALE_SAMPLE = Duration.ofMinutes(5);

    private final Shards shards;
    private final CircuitBreakerRegistry breakers;
    private final Clock clock;
    private final Map<String, Sample> previous = new ConcurrentHashMap<>();

    ShardLoadController(Shards shards, CircuitBreakerRegistry breakers, Clock clock) {
        this.shards = shards;
        this.breakers = breakers;
        this.clock = clock;
    }

    record Sample(long transactions, Instant at) {
    }

    record ShardLoad(String shardId, double weight, int vnodes, double share, String breaker, float failureRate,
            boolean healthy, Long players, Long heldGold, Long heldGem, Long transactions, Double transactionsPerSecond,
            Integer activeConnections, Integer connections, Long databaseBytes, Long probeMillis, String problem) {
    }

    record LoadView(long ringVersion, int vnodesPerShard, Instant at, List<ShardLoad> shards) {
    }

    @GetMapping("/api/v1/admin/shards/load")
    @Operation(summary = "Each shard's weight, vnodes and share of the ring, players and held funds, transactions a second "
            + "(since this replica's previous read), connections, database size, a probe's round trip and its breaker "
            + "(operators: ADMIN or VIEWER). A shard that does not answer is healthy=false with its figures null")
    LoadView load() {
        HashRing ring = shards.ring();
        Instant now = clock.instant();
        List<ShardLoad> loads = shards.all().stream().map(shard -> load(ring, shard, now)).toList();
        return new LoadView(ring.version(), ring.vnodesPerShard(), now, loads);
    }

    private record Figures(long players, long heldGold, long heldGem, long transactions, int active, int connections,
            long bytes) {
    }

    private ShardLoad load(HashRing ring, Shard shard, Instant now) {
        boolean inRing = ring.weights().containsKey(shard.id());
        double weight = inRing ? ring.weights().get(shard.id()) : 0;
        int vnodes = inRing ? ring.vnodes(shard.id()) : 0;
        double share = inRing ? ring.share(shard.id()) : 0;
        CircuitBreaker breaker = breakers.find("economy-shard-" + shard.id()).orElse(null);
        String state = breaker == null ? "NONE" : breaker.getState().name();
        float failureRate = breaker == null ? -1 : breaker.getMetrics().getFailureRate();
        if (breaker != null && breaker.getState() == CircuitBreaker.State.OPEN) {
            // An open breaker is reported without asking: the shard is not to be called now.
            return new ShardLoad(shard.id(), weight, vnodes, share, state, failureRate, false, null, null, null, null,
                    null, null, null, null, null, "breaker open");
        }
        long started = System.nanoTime();
        try {
            Figures f = shard.read(() -> shard.sql("""
                    SELECT (SELECT count(*) FROM wallet) AS players,
                           (SELECT coalesce(sum(held_gold), 0) FROM wallet) AS held_gold,
                           (SELECT coalesce(sum(held_gem), 0) FROM wallet) AS held_gem,
                           (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()) AS xacts,
                           (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active') AS active,
                           (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()) AS connections,
                           pg_database_size(current_database()) AS bytes""")
                    .query((rs, row) -> new Figures(rs.getLong("players"), rs.getLong("held_gold"), rs.getLong("held_gem"),
                            rs.getLong("xacts"), rs.getInt("active"), rs.getInt("connections"), rs.getLong("bytes")))
                    .single());
            long probeMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            Sample before = previous.put(shard.id(), new Sample(f.transactions(), now));
            Double rate = rate(before, f.transactions(), now);
            return new ShardLoad(shard.id(), weight, vnodes, share, state, failureRate, true, f.players(), f.heldGold(),
                    f.heldGem(), f.transactions(), rate, f.active(), f.connections(), f.bytes(), probeMillis, null);
        } catch (RuntimeException unavailable) {
            String current = breaker == null ? state : breaker.getState().name();
            return new ShardLoad(shard.id(), weight, vnodes, share, current, failureRate, false, null, null, null, null,
                    null, null, null, null, null, unavailable.getMessage());
        }
    }

    /** Transactions a second since the previous sample; null without a usable one (first read, stale, or a stats reset). */
    static Double rate(Sample before, long transactions, Instant now) {
        if (before == null || transactions < before.transactions()) {
            return null;
        }
        Duration elapsed = Duration.between(before.at(), now);
        if (elapsed.isNegative() || elapsed.isZero() || elapsed.compareTo(STALE_SAMPLE) > 0) {
            return null;
        }
        return (transactions - before.transactions()) * 1000.0 / elapsed.toMillis();
    }
}
