package dev.bulwark.economy.sharding;

import java.util.List;
import java.util.UUID;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/** Operators' view of the ring: shards with health and player counts, and where a player lives. */
@RestController
@PreAuthorize("@access.isOperator()")
class ShardAdminController {

    private final Shards shards;

    ShardAdminController(Shards shards) {
        this.shards = shards;
    }

    record ShardView(String shardId, boolean healthy, Long players, double share, String breaker) {
    }

    record RingView(long ringVersion, int vnodesPerShard, List<ShardView> shards) {
    }

    record PlayerShard(UUID playerId, String shardId, long ringVersion) {
    }

    /**
     * A shard is healthy when its breaker is not open and it answers; {@code players} (wallets on
     * the shard) is null for one that does not. An open breaker is reported without asking.
     */
    @GetMapping("/api/v1/admin/shards")
    RingView shards() {
        var ring = shards.ring();
        List<ShardView> views = shards.all().stream().map(shard -> {
            CircuitBreaker.State state = shard.breaker().getState();
            Long players = null;
            if (state != CircuitBreaker.State.OPEN) {
                try {
                    players = shard.read(() -> shard.sql("SELECT count(*) FROM wallet").query(Long.class).single());
                } catch (RuntimeException unavailable) {
                    players = null;
                }
            }
            return new ShardView(shard.id(), players != null, players,
                    ring.weights().containsKey(shard.id()) ? ring.share(shard.id()) : 0, shard.breaker().getState().name());
        }).toList();
        return new RingView(ring.version(), ring.vnodesPerShard(), views);
    }

    @GetMapping("/api/v1/admin/players/{playerId}/shard")
    PlayerShard playerShard(@PathVariable UUID playerId) {
        var ring = shards.ring();
        return new PlayerShard(playerId, shards.forPlayer(playerId).id(), ring.version());
    }
}
