package dev.bulwark.economy.transfer;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.economy.idempotency.IdempotentRequests;
import dev.bulwark.economy.idempotency.IdempotentRequests.StoredResponse;
import dev.bulwark.economy.movement.Movements;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.ItemQuantity;
import dev.bulwark.platform.ratelimit.IdempotentWrite;
import dev.bulwark.platform.security.Access;
import dev.bulwark.platform.security.Roles;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@RestController
class TransferController {

    private static final String ROUTE = "POST /api/v1/transfers";

    private final Transfers transfers;
    private final Movements movements;
    private final IdempotentRequests idempotent;
    private final Access access;
    private final NewAccountTrading newAccounts;

    TransferController(Transfers transfers, Movements movements, IdempotentRequests idempotent, Access access,
            NewAccountTrading newAccounts) {
        this.newAccounts = newAccounts;
        this.transfers = transfers;
        this.movements = movements;
        this.idempotent = idempotent;
        this.access = access;
    }

    @Schema(description = "GOLD and tradable items from one player to another; GEM and soulbound items are refused")
    record TransferRequest(@NotNull UUID fromPlayerId, @NotNull UUID toPlayerId, Map<Currency, Long> currency,
            @Size(max = 20) List<ItemQuantity> items) {
    }

    /** Atomic: both sides or neither. A retry with the same Idempotency-Key returns the first answer. */
    @PostMapping("/api/v1/transfers")
    @IdempotentWrite
    @PreAuthorize("@access.isPlayerOrAdmin(#request.fromPlayerId())")
    @ApiResponse(responseCode = "201", description = "transferred",
            content = @Content(schema = @Schema(implementation = Transfers.Receipt.class)))
    @ApiResponse(responseCode = "409", description = "insufficient-funds, items-not-held, max-stack-exceeded or key reused")
    @ApiResponse(responseCode = "422", description = "self-transfer, untradable (GEM or soulbound), unknown-item, or "
            + "new-account-restricted (the sender's account is too new or too low in level to send)")
    ResponseEntity<String> transfer(@RequestHeader("Idempotency-Key") String key,
            @Valid @RequestBody TransferRequest request) {
        String caller = access.subject();
        UUID placement = IdempotentRequests.placementOf(caller);
        if (transfers.local(request.fromPlayerId(), request.toPlayerId(), placement)) {
            return idempotent.execute(caller, ROUTE, key, placement, request,
                    () -> StoredResponse.created(transfers.transfer(request.fromPlayerId(), request.toPlayerId(),
                            checked(request))))
                    .entity();
        }
        return idempotent.executeAcross(caller, ROUTE, key, placement, request,
                        claim -> transfers.transferAcross(request.fromPlayerId(), request.toPlayerId(), checked(request), claim))
                .entity();
    }

    /** The checks that need no lock, after the key was found new. */
    private Movements.Change checked(TransferRequest request) {
        Movements.Change change = movements.normalise(request.currency(), request.items(), false);
        transfers.checkTransferable(request.fromPlayerId(), request.toPlayerId(), change);
        if (!access.hasRole(Roles.ADMIN)) {
            newAccounts.checkMaySend(request.fromPlayerId());
        }
        return change;
    }
}
