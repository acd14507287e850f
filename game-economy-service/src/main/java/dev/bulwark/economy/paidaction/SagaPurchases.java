package dev.bulwark.economy.paidaction;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.bulwark.economy.catalog.Catalog.Offer;
import dev.bulwark.economy.purchase.PurchaseRefusal;
import dev.bulwark.economy.purchase.Purchases;
import dev.bulwark.economy.purchase.RemotePurchases;
import dev.bulwark.economy.saga.SagaFinished;
import dev.bulwark.economy.saga.SagaOrchestrator;
import dev.bulwark.economy.saga.SagaState;

/**
 * Purchases of offers whose effect lives in another service: the purchase row (PENDING) and
 * the saga start (which places the hold and sends the command) commit together with the
 * Idempotency-Key record; the purchase settles in the transaction that finishes the saga.
 */
@Component
class SagaPurchases implements RemotePurchases {

    private final SagaOrchestrator orchestrator;
    private final Purchases purchases;

    SagaPurchases(SagaOrchestrator orchestrator, Purchases purchases) {
        this.orchestrator = orchestrator;
        this.purchases = purchases;
    }

    @Override
    public Purchases.Receipt start(UUID playerId, UUID purchaseId, Offer offer, long quantity, Map<String, String> params) {
        if (!orchestrator.runs(offer.offerId())) {
            throw PurchaseRefusal.unknownOffer("Offer " + offer.offerId() + " has no saga");
        }
        if (quantity != 1) {
            throw PurchaseRefusal.invalidQuantity("Offer " + offer.offerId() + " is bought one at a time");
        }
        Purchases.Receipt receipt = purchases.recordPending(playerId, purchaseId, offer, quantity);
        orchestrator.start(offer.offerId(), purchaseId, playerId, new PaidAction(playerId, offer.offerId(),
                offer.price().currency(), offer.price().amount(), params, Map.of()));
        return receipt;
    }

    @Override
    public List<RemoteStep> steps(UUID purchaseId) {
        return orchestrator.view(purchaseId).map(v -> v.steps().stream()
                        .map(s -> new RemoteStep(s.step(), s.action(), s.detail(), s.at())).toList())
                .orElse(List.of());
    }

    @EventListener
    void settle(SagaFinished finished) {
        if (orchestrator.runs(finished.type())) {
            purchases.settle(finished.playerId(), finished.sagaId(),
                    finished.state() == SagaState.COMPLETED ? Purchases.Status.COMPLETED : Purchases.Status.FAILED,
                    finished.reason());
        }
    }
}
