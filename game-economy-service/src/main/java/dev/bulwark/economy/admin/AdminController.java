package dev.bulwark.economy.admin;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.validation.annotation.Validated;

import dev.bulwark.economy.idempotency.IdempotentRequests;
import dev.bulwark.economy.idempotency.IdempotentRequests.StoredResponse;
import dev.bulwark.economy.movement.Movements;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.ItemQuantity;
import dev.bulwark.platform.ratelimit.IdempotentWrite;
import dev.bulwark.platform.security.Access;
import dev.bulwark.platform.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Operator writes and checks on the economy: adjustments and the ledger audit. */
@RestController
@Validated
@PreAuthorize("@access.hasRole('ADMIN')")
class AdminController {

    private final Adjustments adjustments;
    private final LedgerAudit audit;
    private final Movements movements;
    private final IdempotentRequests idempotent;
    private final Access access;

    AdminController(Adjustments adjustments, LedgerAudit audit, Movements movements, IdempotentRequests idempotent,
            Access access) {
        this.adjustments = adjustments;
        this.audit = audit;
        this.movements = movements;
        this.idempotent = idempotent;
        this.access = access;
    }

    @Schema(description = "Signed amounts and item quantities (negative = clawback); the reason is kept in the admin audit log")
    record AdjustmentRequest(Map<Currency, Long> currency, @Size(max = 20) List<ItemQuantity> items,
            @NotBlank @Size(max = 500) String reason) {
    }

    @PostMapping("/api/v1/admin/players/{playerId}/adjustments")
    @IdempotentWrite
    @Operation(summary = "Correct or claw back a player's currency and items; never below zero")
    @ApiResponse(responseCode = "201", description = "applied",
            content = @Content(schema = @Schema(implementation = Adjustments.Applied.class)))
    @ApiResponse(responseCode = "409", description = "insufficient-funds or items-not-held (would go below zero)")
    ResponseEntity<String> adjust(@PathVariable UUID playerId, @RequestHeader("Idempotency-Key") String key,
            @Valid @RequestBody AdjustmentRequest request) {
        String admin = access.subject();
        return idempotent.execute(admin, "POST /api/v1/admin/players/" + playerId + "/adjustments", key, playerId,
                request, () -> StoredResponse.created(adjustments.apply(playerId, admin,
                        movements.normalise(request.currency(), request.items(), true), request.reason())))
                .entity();
    }

    @GetMapping("/api/v1/admin/players/{playerId}/audit-log")
    @PreAuthorize("@access.isOperator()")
    @Operation(summary = "The operator changes to a player's economy, newest first, each naming its operator "
            + "(operators: ADMIN or VIEWER)")
    List<Adjustments.AuditEntry> auditLog(@PathVariable UUID playerId,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return adjustments.auditLog(playerId, limit);
    }

    @PostMapping("/api/v1/admin/audit")
    @Operation(summary = "Fold the ledger events since the last audit (every ledger from its first event with full=true), "
            + "compare with the projections and check the money and item supply")
    @ApiResponse(responseCode = "409", description = "audit-running: another audit is running (one at a time, on any replica)")
    LedgerAudit.Report audit(@RequestParam(defaultValue = "false") boolean full) {
        return audit.runIfFree(full).orElseThrow(() -> ApiException.conflict("audit-running",
                "Another ledger audit is running; ask again when it has finished"));
    }
}
