package dev.bulwark.economy.purchase;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

import dev.bulwark.economy.catalog.Catalog;
import dev.bulwark.economy.catalog.Catalog.EffectType;
import dev.bulwark.economy.catalog.Catalog.Offer;
import dev.bulwark.economy.ledger.Ledger;
import dev.bulwark.economy.movement.MovementRefusal;
import dev.bulwark.economy.movement.Movements;
import dev.bulwark.economy.movement.Movements.Change;
import dev.bulwark.economy.sharding.GlobalIds;
import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.ItemQuantity;
import dev.bulwark.events.economy.PurchaseCompleted;

/**
 * Buying offers. A local offer completes in one transaction: lock the buyer's stream, check
 * funds, stack limits and overflow, append one {@link PurchaseCompleted}, record the purchase.
 */
@Service
public class Purchases {

    public enum Status {
        PENDING, COMPLETED, FAILED
    }

    public record Receipt(UUID purchaseId, Status status) {
    }

    public record Purchase(UUID purchaseId, UUID playerId, String offerId, long quantity, Currency priceCurrency,
            long priceAmount, Status status, String reason, Long ledgerSequence, Instant createdAt) {
    }

    private final Catalog catalog;
    private final Ledger ledger;
    private final Movements movements;
    private final Shards shards;
    private final ObjectProvider<RemotePurchases> remote;
    private final Clock clock;

    /** The remote purchases' implementation (the paid-action sagas) settles through this class: a provider breaks the cycle. */
    Purchases(Catalog catalog, Ledger ledger, Movements movements, Shards shards, ObjectProvider<RemotePurchases> remote,
            Clock clock) {
        this.catalog = catalog;
        this.ledger = ledger;
        this.movements = movements;
        this.shards = shards;
        this.remote = remote;
        this.clock = clock;
    }

    /** In a transaction on the player's shard, with the purchase, its ledger event and (remote effects) the saga. */
    public Receipt purchase(UUID playerId, String offerId, long quantity, Map<String, String> params) {
        return ledger.write(playerId, () -> purchaseLocked(playerId, offerId, quantity, params));
    }

    private Receipt purchaseLocked(UUID playerId, String offerId, long quantity, Map<String, String> params) {
        Offer offer = catalog.offer(offerId).orElseThrow(() -> PurchaseRefusal.unknownOffer("There is no offer " + offerId));
        if (quantity < 1) {
            throw PurchaseRefusal.invalidRequest("quantity must be at least 1");
        }
        for (String required : offer.effect().params()) {
            String value = params == null ? null : params.get(required);
            if (value == null || value.isBlank()) {
                throw PurchaseRefusal.missingParameter("Offer " + offerId + " needs params." + required);
            }
        }
        UUID purchaseId = GlobalIds.newId(playerId);
        if (offer.effect().type() == EffectType.REMOTE) {
            return remote.getObject().start(playerId, purchaseId, offer, quantity, params);
        }
        return completeLocally(playerId, purchaseId, offer, quantity);
    }

    private Receipt completeLocally(UUID playerId, UUID purchaseId, Offer offer, long quantity) {
        Currency currency = offer.price().currency();
        long price = times(offer.price().amount(), quantity);
        Map<Currency, Long> currencyGranted = new EnumMap<>(Currency.class);
        offer.effect().currency().forEach((c, a) -> currencyGranted.put(c, times(a, quantity)));
        List<ItemQuantity> itemsGranted = new ArrayList<>();
        for (ItemQuantity unit : offer.effect().items()) {
            itemsGranted.add(new ItemQuantity(unit.itemId(), times(unit.quantity(), quantity)));
        }

        Ledger.Stream stream = ledger.lock(playerId).orElseThrow(MovementRefusal::walletNotFound);
        movements.checkCanExchange(stream, new Change(Map.of(currency, price), List.of()),
                new Change(currencyGranted, itemsGranted));

        long sequence = stream.lastSequence() + 1;
        stream.append(new PurchaseCompleted(playerId, purchaseId, offer.offerId(), quantity, currency, price,
                currencyGranted, itemsGranted));
        Timestamp now = Timestamp.from(clock.instant());
        shards.forPlayer(playerId).sql("""
                INSERT INTO purchase (purchase_id, player_id, offer_id, quantity, price_currency, price_amount, status,
                                      ledger_sequence, created_at, updated_at)
                VALUES (:id, :player, :offer, :quantity, :currency, :price, 'COMPLETED', :seq, :now, :now)""")
                .param("id", purchaseId).param("player", playerId).param("offer", offer.offerId())
                .param("quantity", quantity).param("currency", currency.name()).param("price", price)
                .param("seq", sequence).param("now", now)
                .update();
        return new Receipt(purchaseId, Status.COMPLETED);
    }

    /** Records a purchase whose effect a saga carries out; it stays PENDING until {@link #settle}. */
    public Receipt recordPending(UUID playerId, UUID purchaseId, Offer offer, long quantity) {
        Timestamp now = Timestamp.from(clock.instant());
        shards.forPlayer(playerId).sql("""
                INSERT INTO purchase (purchase_id, player_id, offer_id, quantity, price_currency, price_amount, status,
                                      created_at, updated_at)
                VALUES (:id, :player, :offer, :quantity, :currency, :price, 'PENDING', :now, :now)""")
                .param("id", purchaseId).param("player", playerId).param("offer", offer.offerId())
                .param("quantity", quantity).param("currency", offer.price().currency().name())
                .param("price", times(offer.price().amount(), quantity)).param("now", now)
                .update();
        return new Receipt(purchaseId, Status.PENDING);
    }

    /** Settles a pending purchase once its saga finished. */
    public void settle(UUID playerId, UUID purchaseId, Status status, String reason) {
        shards.forPlayer(playerId).sql("""
                UPDATE purchase SET status = :status, reason = :reason, updated_at = :now
                WHERE purchase_id = :id AND status = 'PENDING'""")
                .param("id", purchaseId).param("status", status.name()).param("reason", reason)
                .param("now", Timestamp.from(clock.instant()))
                .update();
    }

    /** A purchase by its id, from the shard its id points at (ids from before sharding: the others too). */
    public Optional<Purchase> find(UUID purchaseId) {
        return shards.lookupOrder(purchaseId)
                .flatMap(jdbc -> jdbc.read(() -> jdbc.sql("""
                        SELECT player_id, offer_id, quantity, price_currency, price_amount, status, reason,
                               ledger_sequence, created_at
                        FROM purchase WHERE purchase_id = :id""")
                        .param("id", purchaseId)
                        .query((rs, n) -> new Purchase(purchaseId, rs.getObject("player_id", UUID.class),
                                rs.getString("offer_id"), rs.getLong("quantity"),
                                Currency.valueOf(rs.getString("price_currency")), rs.getLong("price_amount"),
                                Status.valueOf(rs.getString("status")), rs.getString("reason"),
                                (Long) rs.getObject("ledger_sequence"), rs.getTimestamp("created_at").toInstant()))
                        .optional()).stream())
                .findFirst();
    }

    private static long times(long amount, long quantity) {
        try {
            return Math.multiplyExact(amount, quantity);
        } catch (ArithmeticException overflow) {
            throw MovementRefusal.amountTooLarge();
        }
    }
}
