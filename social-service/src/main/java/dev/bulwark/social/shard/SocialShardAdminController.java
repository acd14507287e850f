package dev.bulwark.social.shard;

import java.util.List;
import java.util.UUID;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.platform.shard.ShardUnit;
import dev.bulwark.sharding.HashRing;

/** Operators' view of social's ring: shards with health and what each holds, where a player and a guild live. */
@RestController
@PreAuthorize("@access.isOperator()")
class SocialShardAdminController {

    private final SocialShards shards;

    SocialShardAdminController(SocialShards shards) {
        this.shards = shards;
    }

    /** {@code players} and {@code guilds} are null for a shard that does not answer. */
    record ShardView(String shardId, boolean healthy, Long players, Long guilds, double share, String breaker) {
    }

    record RingView(long ringVersion, int vnodesPerShard, List<ShardView> shards) {
    }

    record PlayerShard(UUID playerId, String shardId, long ringVersion) {
    }

    record GuildShard(UUID guildId, String shardId, long ringVersion) {
    }

    /**
     * A shard is healthy when its breaker is not open and it answers; an open breaker is reported
     * without asking. {@code players} counts the players in a guild whose index is on the shard.
     */
    @GetMapping("/api/v1/admin/shards")
    RingView shards() {
        HashRing ring = shards.ring();
        List<ShardView> views = shards.all().stream().map(shard -> {
            Long players = null;
            Long guilds = null;
            if (!shard.open()) {
                try {
                    players = count(shard, "SELECT count(*) FROM player_guild");
                    guilds = count(shard, "SELECT count(*) FROM guild");
                } catch (RuntimeException unavailable) {
                    players = null;
                    guilds = null;
                }
            }
            return new ShardView(shard.id(), players != null, players, guilds, ring.share(shard.id()),
                    shard.breaker().getState().name());
        }).toList();
        return new RingView(ring.version(), ring.vnodesPerShard(), views);
    }

    @GetMapping("/api/v1/admin/players/{playerId}/shard")
    PlayerShard playerShard(@PathVariable UUID playerId) {
        return new PlayerShard(playerId, shards.forPlayer(playerId).id(), shards.ring().version());
    }

    /** Where the guild's data is, by its guild key; it says nothing about whether the guild exists. */
    @GetMapping("/api/v1/admin/guilds/{guildId}/shard")
    GuildShard guildShard(@PathVariable UUID guildId) {
        return new GuildShard(guildId, shards.forGuild(guildId).id(), shards.ring().version());
    }

    private static Long count(ShardUnit shard, String sql) {
        return shard.guarded(() -> shard.jdbc().sql(sql).query(Long.class).single());
    }
}
