package dev.bulwark.economy.purchase;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.economy.idempotency.IdempotentRequests;
import dev.bulwark.economy.idempotency.IdempotentRequests.StoredResponse;
import dev.bulwark.events.Contracts;
import dev.bulwark.economy.catalog.Catalog;
import dev.bulwark.platform.ratelimit.IdempotentWrite;
import dev.bulwark.platform.security.Access;
import dev.bulwark.platform.web.ApiException;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@RestController
class PurchaseController {

    private final Purchases purchases;
    private final IdempotentRequests idempotent;
    private final Access access;
    private final ObjectProvider<RemotePurchases> remote;

    PurchaseController(Purchases purchases, IdempotentRequests idempotent, Access access,
            ObjectProvider<RemotePurchases> remote) {
        this.purchases = purchases;
        this.idempotent = idempotent;
        this.access = access;
        this.remote = remote;
    }

    @Schema(description = "params carries what a remote-effect offer needs, e.g. guildName or displayName")
    record PurchaseRequest(@NotBlank @Size(max = 64) String offerId, @NotNull @Min(1) @Max(1000) Long quantity,
            @Size(max = 8) Map<String, @Size(max = 64) String> params) {
    }

    record PurchaseResponse(UUID purchaseId, Purchases.Status status) {
    }

    /** A local purchase has one step with its ledger position; a remote one lists its saga's steps. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Step(String step, String status, Long ledgerSequence, Instant at) {
    }

    record PurchaseView(UUID purchaseId, UUID playerId, String offerId, long quantity,
            Catalog.Price price, Purchases.Status status, String reason, List<Step> steps, Instant createdAt) {
    }

    /**
     * Buys an offer. A retry with the same Idempotency-Key and body returns the first response,
     * byte for byte; the same key with another body is 409.
     */
    @PostMapping("/api/v1/players/{playerId}/purchases")
    @IdempotentWrite
    @PreAuthorize("@access.isPlayer(#playerId)")
    @ApiResponse(responseCode = "201", description = "completed (local effect)",
            content = @Content(schema = @Schema(implementation = PurchaseResponse.class)))
    @ApiResponse(responseCode = "409", description = "insufficient funds, stack full, or key reused with another body")
    ResponseEntity<String> purchase(@PathVariable UUID playerId, @RequestHeader("Idempotency-Key") String key,
            @Valid @RequestBody PurchaseRequest request) {
        StoredResponse response = idempotent.execute(access.subject(), "POST /api/v1/players/" + playerId + "/purchases",
                key, playerId, request, () -> {
                    Purchases.Receipt receipt = purchases.purchase(playerId, request.offerId(), request.quantity(),
                            request.params());
                    int status = receipt.status() == Purchases.Status.PENDING ? 202 : 201;
                    return new StoredResponse(status,
                            Contracts.MAPPER.writeValueAsString(new PurchaseResponse(receipt.purchaseId(), receipt.status())),
                            "/api/v1/purchases/" + receipt.purchaseId());
                });
        return response.entity();
    }

    @GetMapping("/api/v1/purchases/{purchaseId}")
    PurchaseView purchase(@PathVariable UUID purchaseId) {
        Purchases.Purchase p = purchases.find(purchaseId).orElseThrow(() -> ApiException.notFound("Purchase"));
        if (!access.isPlayerOrAdmin(p.playerId())) {
            throw new AccessDeniedException("Not the buyer");
        }
        List<Step> steps = p.ledgerSequence() != null
                ? List.of(new Step("pay-and-grant", p.status().name(), p.ledgerSequence(), p.createdAt()))
                : remote.stream().flatMap(r -> r.steps(purchaseId).stream())
                        .map(s -> new Step(s.step(), s.action(), null, s.at())).toList();
        return new PurchaseView(p.purchaseId(), p.playerId(), p.offerId(), p.quantity(),
                new Catalog.Price(p.priceCurrency(), p.priceAmount()), p.status(), p.reason(), steps,
                p.createdAt());
    }
}
