package dev.bulwark.economy.purchase;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bulwark.economy.catalog.Catalog.Offer;

/**
 * The seam for offers whose effect lives in another service: the saga orchestrator implements
 * it (hold the price, command the owner, capture or release).
 */
public interface RemotePurchases {

    /** Starts the saga in the caller's transaction and answers with a PENDING purchase. */
    Purchases.Receipt start(UUID playerId, UUID purchaseId, Offer offer, long quantity, Map<String, String> params);

    /** What the purchase's saga did so far, oldest first. */
    List<RemoteStep> steps(UUID purchaseId);

    record RemoteStep(String step, String action, String detail, java.time.Instant at) {
    }
}
