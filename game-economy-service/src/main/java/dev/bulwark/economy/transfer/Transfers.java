package dev.bulwark.economy.transfer;

import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.economy.ledger.Ledger;
import dev.bulwark.economy.movement.MovementRefusal;
import dev.bulwark.economy.movement.Movements;
import dev.bulwark.economy.movement.Movements.Change;
import dev.bulwark.economy.transfer.TransferRefusal.Reason;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.ItemQuantity;
import dev.bulwark.events.economy.TransferReceived;
import dev.bulwark.events.economy.TransferSent;

/**
 * Player-to-player transfers of GOLD and tradable items: both ledger events (one on each stream)
 * commit in one local transaction, which is atomic while one database holds both players. The
 * two streams are locked in player-id order, so transfers in opposite directions wait for each
 * other instead of deadlocking.
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

    Transfers(Ledger ledger, Movements movements) {
        this.ledger = ledger;
        this.movements = movements;
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

    @Transactional
    public Receipt transfer(UUID from, UUID to, Change change) {
        checkTransferable(from, to, change);
        boolean fromFirst = from.compareTo(to) < 0;
        Ledger.Stream first = ledger.lock(fromFirst ? from : to).orElseThrow(MovementRefusal::walletNotFound);
        Ledger.Stream second = ledger.lock(fromFirst ? to : from).orElseThrow(MovementRefusal::walletNotFound);
        Ledger.Stream sender = fromFirst ? first : second;
        Ledger.Stream recipient = fromFirst ? second : first;
        movements.checkCanGive(sender, change);
        movements.checkCanReceive(recipient, change);
        UUID transferId = UUID.randomUUID();
        sender.append(new TransferSent(from, transferId, to, change.currency(), change.items()));
        recipient.append(new TransferReceived(to, transferId, from, change.currency(), change.items()));
        return new Receipt(transferId, Status.COMPLETED, from, to);
    }

    private static TransferRefusal untradable(String detail) {
        return new TransferRefusal(Reason.UNTRADABLE, detail);
    }
}
