package dev.bulwark.economy.loot;

import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.economy.idempotency.IdempotentRequests;
import dev.bulwark.economy.idempotency.IdempotentRequests.StoredResponse;
import dev.bulwark.economy.ledger.Ledger;
import dev.bulwark.economy.ledger.Refusals;
import dev.bulwark.economy.movement.Movements;
import dev.bulwark.economy.movement.Movements.Change;
import dev.bulwark.events.economy.ItemsConsumed;
import dev.bulwark.events.economy.LootGranted;
import dev.bulwark.platform.security.AuthorityLease;

/**
 * Writes of the game server holding a player: loot (a source) and consumptions (a sink). Each
 * runs in one transaction: lock the player's stream, then the idempotent effect, which passes
 * the fence with the (already verified) lease before it appends. A retry of a request that
 * already landed gets its first answer even after the player moved — it lands nothing new, and
 * a client whose response was lost learns the truth instead of a misleading 409.
 */
@Service
public class Loot {

    /**
     * Grants share one idempotency scope per player whichever server calls: the drop id is the
     * key, so one drop lands once even when two servers report it.
     */
    static final String ANY_GAME_SERVER = "*game-server*";

    private final Ledger ledger;
    private final Fence fence;
    private final Movements movements;
    private final IdempotentRequests idempotent;

    Loot(Ledger ledger, Fence fence, Movements movements, IdempotentRequests idempotent) {
        this.ledger = ledger;
        this.fence = fence;
        this.movements = movements;
        this.idempotent = idempotent;
    }

    record Granted(UUID playerId, String dropId, long ledgerSequence) {
    }

    record Consumed(UUID playerId, String consumptionId, long ledgerSequence) {
    }

    @Transactional
    public StoredResponse grant(AuthorityLease lease, String dropId, Object request, Change change, String reason) {
        UUID player = lease.playerId();
        Ledger.Stream stream = ledger.lock(player).orElseThrow(Refusals::walletNotFound);
        return idempotent.execute(ANY_GAME_SERVER, "POST /api/v1/players/" + player + "/grants", dropId, player,
                request, () -> {
                    fence.admit(lease);
                    movements.checkCanReceive(stream, change);
                    long sequence = stream.append(new LootGranted(player, dropId, lease.serverId(), lease.epoch(),
                            change.currency(), change.items(), reason)).sequence();
                    return StoredResponse.created(new Granted(player, dropId, sequence));
                });
    }

    @Transactional
    public StoredResponse consume(AuthorityLease lease, String key, Object request, Change change, String reason) {
        UUID player = lease.playerId();
        Ledger.Stream stream = ledger.lock(player).orElseThrow(Refusals::walletNotFound);
        return idempotent.execute(lease.serverId(), "POST /api/v1/players/" + player + "/consumptions", key, player,
                request, () -> {
                    fence.admit(lease);
                    movements.checkCanGive(stream, change);
                    long sequence = stream.append(new ItemsConsumed(player, key, lease.serverId(), lease.epoch(),
                            change.items(), reason)).sequence();
                    return StoredResponse.created(new Consumed(player, key, sequence));
                });
    }
}
