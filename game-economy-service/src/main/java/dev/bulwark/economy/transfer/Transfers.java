package dev.bulwark.economy.transfer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.bulwark.economy.idempotency.IdempotentRequests.Claim;
import dev.bulwark.economy.idempotency.IdempotentRequests.StoredResponse;
import dev.bulwark.economy.ledger.Ledger;
import dev.bulwark.economy.movement.MovementRefusal;
import dev.bulwark.economy.movement.Movements;
import dev.bulwark.economy.movement.Movements.Change;
import dev.bulwark.economy.sharding.CrossShard;
import dev.bulwark.economy.sharding.GlobalIds;
import dev.bulwark.economy.sharding.Shard;
import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.economy.transfer.TransferRefusal.Reason;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.ItemQuantity;
import dev.bulwark.events.economy.TransferReceived;
import dev.bulwark.events.economy.TransferSent;

/**
 * Player-to-player transfers of GOLD and tradable items: both ledger events (one on each stream)
 * commit together. Players on one shard: one local transaction. Players on two shards: one
 * two-phase commit across them ({@link CrossShard}), with the request's idempotency record in the
 * participant of its own shard, so the key commits exactly when the transfer does. Either way the
 * streams are locked in player-id order (across shards too, where no server's deadlock detector
 * sees a cycle), so transfers in opposite directions wait for each other instead of deadlocking;
 * across shards a lock timeout ends what the order does not prevent.
 */
@Service
public class Transfers {

    public enum Status {
        COMPLETED
    }

    public record Receipt(UUID transferId, Status status, UUID fromPlayerId, UUID toPlayerId) {
    }

    private final Ledger ledger;
    private final Movements movements;
    private final Shards shards;
    private final CrossShard crossShard;

    Transfers(Ledger ledger, Movements movements, Shards shards, CrossShard crossShard) {
        this.ledger = ledger;
        this.movements = movements;
        this.shards = shards;
        this.crossShard = crossShard;
    }

    /** Whether both players and the key's record share one shard: then the transfer is one local transaction. */
    public boolean local(UUID from, UUID to, UUID keyPlacement) {
        Shard shard = shards.forPlayer(from);
        return shards.forPlayer(to) == shard && shards.forPlayer(keyPlacement) == shard;
    }

    /** Refusals that need no lock: to self, GEM, untradable items. */
    public void checkTransferable(UUID from, UUID to, Change change) {
        if (from.equals(to)) {
            throw new TransferRefusal(Reason.SELF_TRANSFER, "A player cannot transfer to themselves");
        }
        if (change.currency().containsKey(Currency.GEM)) {
            throw untradable("GEM is not tradable");
        }
        for (ItemQuantity item : change.items()) {
            if (!movements.item(item.itemId()).tradable()) {
                throw untradable(item.itemId() + " is soulbound");
            }
        }
    }

    /** A transfer in one local transaction, on the shard of both players. */
    public Receipt transfer(UUID from, UUID to, Change change) {
        return ledger.write(from, () -> transferLocally(from, to, change));
    }

    private Receipt transferLocally(UUID from, UUID to, Change change) {
        checkTransferable(from, to, change);
        boolean fromFirst = from.compareTo(to) < 0;
        Ledger.Stream first = ledger.lock(fromFirst ? from : to).orElseThrow(MovementRefusal::walletNotFound);
        Ledger.Stream second = ledger.lock(fromFirst ? to : from).orElseThrow(MovementRefusal::walletNotFound);
        Ledger.Stream sender = fromFirst ? first : second;
        Ledger.Stream recipient = fromFirst ? second : first;
        movements.checkCanGive(sender, change);
        movements.checkCanReceive(recipient, change);
        UUID transferId = GlobalIds.newId(from);
        sender.append(new TransferSent(from, transferId, to, change.currency(), change.items()));
        recipient.append(new TransferReceived(to, transferId, from, change.currency(), change.items()));
        return new Receipt(transferId, Status.COMPLETED, from, to);
    }

    /**
     * A transfer across shards, with {@code claim} (the key's record) committed in the same
     * two-phase commit: each shard's part locks its player (in player-id order), checks it, and
     * appends its side; the record goes last into its shard's part.
     */
    public StoredResponse transferAcross(UUID from, UUID to, Change change, Claim claim) {
        checkTransferable(from, to, change);
        UUID transferId = GlobalIds.newId(from);
        StoredResponse response = StoredResponse.created(new Receipt(transferId, Status.COMPLETED, from, to));
        Map<Shard, List<Runnable>> parts = new LinkedHashMap<>();
        UUID first = from.compareTo(to) < 0 ? from : to;
        for (UUID player : List.of(first, first.equals(from) ? to : from)) {
            Runnable side = player.equals(from)
                    ? () -> {
                        Ledger.Stream sender = ledger.lock(from).orElseThrow(MovementRefusal::walletNotFound);
                        movements.checkCanGive(sender, change);
                        sender.append(new TransferSent(from, transferId, to, change.currency(), change.items()));
                    }
                    : () -> {
                        Ledger.Stream recipient = ledger.lock(to).orElseThrow(MovementRefusal::walletNotFound);
                        movements.checkCanReceive(recipient, change);
                        recipient.append(new TransferReceived(to, transferId, from, change.currency(), change.items()));
                    };
            parts.computeIfAbsent(shards.forPlayer(player), s -> new ArrayList<>()).add(side);
        }
        parts.computeIfAbsent(claim.shard(), s -> new ArrayList<>()).add(() -> claim.record(response));
        crossShard.execute(parts.entrySet().stream()
                .map(part -> new CrossShard.Part(part.getKey(), () -> part.getValue().forEach(Runnable::run)))
                .toList());
        return response;
    }

    private static TransferRefusal untradable(String detail) {
        return new TransferRefusal(Reason.UNTRADABLE, detail);
    }
}
