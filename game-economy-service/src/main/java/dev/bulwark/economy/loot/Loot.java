package dev.bulwark.economy.loot;

import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.stereotype.Service;

import dev.bulwark.economy.idempotency.IdempotentRequests;
import dev.bulwark.economy.idempotency.IdempotentRequests.StoredResponse;
import dev.bulwark.economy.ledger.Ledger;
import dev.bulwark.economy.movement.MovementRefusal;
import dev.bulwark.economy.movement.Movements;
import dev.bulwark.economy.movement.Movements.Change;
import dev.bulwark.events.economy.ItemsConsumed;
import dev.bulwark.events.economy.LootGranted;
import dev.bulwark.platform.security.AuthorityLease;

/**
 * Writes of the game server holding a player: loot (a source) and consumptions (a sink). Each
 * runs in one transaction: claim the key, verify the lease, lock the player's stream and pass
 * the fence before it appends. A retry of a request that
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

    /**
     * Grants loot once per drop id. The lease and the request are checked only once the drop id
     * is known to be new ({@code lease}, {@code change} are evaluated inside the effect), so a
     * retry after the lease lapsed or the catalog changed still gets its first answer.
     */
    public StoredResponse grant(UUID player, String dropId, Object request, Supplier<AuthorityLease> lease,
            Supplier<Change> change, String reason) {
        return idempotent.execute(ANY_GAME_SERVER, "POST /api/v1/players/" + player + "/grants", dropId, player,
                request, () -> {
                    AuthorityLease verified = lease.get();
                    Change checked = change.get();
                    Ledger.Stream stream = ledger.lock(player).orElseThrow(MovementRefusal::walletNotFound);
                    fence.admit(verified);
                    movements.checkCanReceive(stream, checked);
                    long sequence = stream.append(new LootGranted(player, dropId, verified.serverId(), verified.epoch(),
                            checked.currency(), checked.items(), reason)).sequence();
                    return StoredResponse.created(new Granted(player, dropId, sequence));
                });
    }

    /** Items used up in play, once per key of the calling server; checked like {@link #grant}. */
    public StoredResponse consume(UUID player, String serverId, String key, Object request, Supplier<AuthorityLease> lease,
            Supplier<Change> change, String reason) {
        return idempotent.execute(serverId, "POST /api/v1/players/" + player + "/consumptions", key, player,
                request, () -> {
                    AuthorityLease verified = lease.get();
                    Change checked = change.get();
                    Ledger.Stream stream = ledger.lock(player).orElseThrow(MovementRefusal::walletNotFound);
                    fence.admit(verified);
                    movements.checkCanGive(stream, checked);
                    long sequence = stream.append(new ItemsConsumed(player, key, verified.serverId(), verified.epoch(),
                            checked.items(), reason)).sequence();
                    return StoredResponse.created(new Consumed(player, key, sequence));
                });
    }
}
