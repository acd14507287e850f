package dev.bulwark.economy.loot;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.economy.movement.Movements;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.ItemQuantity;
import dev.bulwark.platform.security.Access;
import dev.bulwark.platform.ratelimit.IdempotentWrite;
import dev.bulwark.platform.security.AuthorityLeases;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Loot and consumptions from the game server holding the player; the lease is verified offline. */
@RestController
class LootController {

    static final String LEASE = "Authority-Lease";

    private final Loot loot;
    private final Movements movements;
    private final AuthorityLeases leases;
    private final Access access;

    LootController(Loot loot, Movements movements, AuthorityLeases leases, Access access) {
        this.loot = loot;
        this.movements = movements;
        this.leases = leases;
        this.access = access;
    }

    @Schema(description = "Loot: positive currency amounts and item quantities; reason e.g. boss-kill")
    record GrantRequest(Map<Currency, Long> currency, @Size(max = 20) List<ItemQuantity> items,
            @NotBlank @Size(max = 200) String reason) {
    }

    @Schema(description = "Items used up in play, positive quantities")
    record ConsumptionRequest(@Size(max = 20) List<ItemQuantity> items, @NotBlank @Size(max = 200) String reason) {
    }

    /** Grants loot once per drop: the Idempotency-Key is the drop id, shared by every server. */
    @PostMapping("/api/v1/players/{playerId}/grants")
    @IdempotentWrite
    @PreAuthorize("@access.hasRole('GAME_SERVER')")
    @ApiResponse(responseCode = "201", description = "granted (or the first answer for this drop id)",
            content = @Content(schema = @Schema(implementation = Loot.Granted.class)))
    @ApiResponse(responseCode = "409", description = "stale-lease, balance-overflow, max-stack-exceeded or key reused with another body")
    ResponseEntity<String> grant(@PathVariable UUID playerId,
            @Parameter(description = "the drop id") @RequestHeader("Idempotency-Key") String dropId,
            @RequestHeader(LEASE) String lease, @Valid @RequestBody GrantRequest request) {
        String caller = access.subject();
        return loot.grant(playerId, dropId, request, () -> leases.verifyHeldBy(lease, playerId, caller),
                () -> movements.normalise(request.currency(), request.items(), false), request.reason()).entity();
    }

    /** Items used up in play (a sink); 409 items-not-held if the player does not have them. */
    @PostMapping("/api/v1/players/{playerId}/consumptions")
    @IdempotentWrite
    @PreAuthorize("@access.hasRole('GAME_SERVER')")
    @ApiResponse(responseCode = "201", description = "consumed",
            content = @Content(schema = @Schema(implementation = Loot.Consumed.class)))
    @ApiResponse(responseCode = "409", description = "stale-lease, items-not-held or key reused with another body")
    ResponseEntity<String> consume(@PathVariable UUID playerId, @RequestHeader("Idempotency-Key") String key,
            @RequestHeader(LEASE) String lease, @Valid @RequestBody ConsumptionRequest request) {
        String caller = access.subject();
        return loot.consume(playerId, caller, key, request, () -> leases.verifyHeldBy(lease, playerId, caller),
                () -> movements.normalise(null, request.items(), false), request.reason()).entity();
    }
}
