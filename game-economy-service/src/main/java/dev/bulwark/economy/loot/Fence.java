package dev.bulwark.economy.loot;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.bulwark.economy.sharding.Shard;
import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.platform.security.AuthorityLease;
import dev.bulwark.platform.security.AuthorityLeases;

/**
 * Fencing tokens per player (Kleppmann): the highest lease epoch seen, from verified leases and
 * from {@code AuthorityChanged} events, and the server holding it. A write with a lower epoch,
 * or the same epoch from another server, or an epoch whose lease was released, is refused. The
 * lease alone is enough to move the fence, so the events only make it rise sooner.
 */
@Component
public class Fence {

    private static final Logger log = LoggerFactory.getLogger(Fence.class);

    private final Shards shards;
    private final Clock clock;
    /**
     * Off only for the loot drill's proof that it can fail (BULWARK_DRILL_UNFENCED, docs/drills.md):
     * a stale lease then writes, as it would with no fence at all. Never set in a deployment.
     */
    private final boolean disabled;

    Fence(Shards shards, Clock clock, @Value("${bulwark.drill.unfenced:false}") boolean disabled) {
        this.shards = shards;
        this.clock = clock;
        this.disabled = disabled;
        if (disabled) {
            log.error("Lease fencing is OFF (bulwark.drill.unfenced): stale game servers can write loot");
        }
    }

    private record Current(long epoch, String serverId) {
    }

    /**
     * Admits a verified lease or throws 409 {@code stale-lease}; raises the fence to its epoch.
     * Runs in the writer's transaction after the player's stream is locked, so that the fence
     * check and the write commit together and writers of one player pass it one at a time.
     */
    public void admit(AuthorityLease lease) {
        if (disabled) {
            return;
        }
        Shard jdbc = shards.forPlayer(lease.playerId());
        jdbc.requireTransaction();
        int created = jdbc.sql("""
                INSERT INTO authority_fence (player_id, epoch, server_id, updated_at) VALUES (:player, :epoch, :server, :now)
                ON CONFLICT (player_id) DO NOTHING""")
                .param("player", lease.playerId()).param("epoch", lease.epoch()).param("server", lease.serverId())
                .param("now", Timestamp.from(clock.instant())).update();
        if (created == 1) {
            return;
        }
        Current current = jdbc.sql("SELECT epoch, server_id FROM authority_fence WHERE player_id = :player FOR UPDATE")
                .param("player", lease.playerId())
                .query((rs, n) -> new Current(rs.getLong("epoch"), rs.getString("server_id"))).single();
        if (lease.epoch() < current.epoch()) {
            throw AuthorityLeases.stale("Epoch " + lease.epoch() + " is older than the fence at " + current.epoch());
        }
        if (lease.epoch() == current.epoch()) {
            if (!Objects.equals(current.serverId(), lease.serverId())) {
                throw AuthorityLeases.stale(current.serverId() == null
                        ? "The lease at epoch " + lease.epoch() + " was released"
                        : "Epoch " + lease.epoch() + " belongs to another server");
            }
            return;
        }
        jdbc.sql("UPDATE authority_fence SET epoch = :epoch, server_id = :server, updated_at = :now WHERE player_id = :player")
                .param("player", lease.playerId()).param("epoch", lease.epoch()).param("server", lease.serverId())
                .param("now", Timestamp.from(clock.instant())).update();
    }

    /**
     * Raises the fence from an {@code AuthorityChanged} event; never lowers it. A new holder
     * ({@code serverId} set) takes a higher epoch; a release ({@code serverId} null) closes its
     * own epoch too, so the released lease stops working even before it expires.
     */
    public void raise(UUID playerId, long epoch, String serverId) {
        shards.forPlayer(playerId).sql("""
                INSERT INTO authority_fence AS f (player_id, epoch, server_id, updated_at)
                VALUES (:player, :epoch, :server, :now)
                ON CONFLICT (player_id) DO UPDATE SET epoch = excluded.epoch, server_id = excluded.server_id,
                                                      updated_at = excluded.updated_at
                WHERE f.epoch < excluded.epoch OR (f.epoch = excluded.epoch AND excluded.server_id IS NULL)""")
                .param("player", playerId).param("epoch", epoch).param("server", serverId)
                .param("now", Timestamp.from(clock.instant())).update();
    }
}
