package dev.bulwark.player.admin;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.platform.security.Access;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

@RestController
@Validated
@PreAuthorize("@access.hasRole('ADMIN')")
class BanController {

    private final Bans bans;
    private final Access access;

    BanController(Bans bans, Access access) {
        this.bans = bans;
        this.access = access;
    }

    @PostMapping("/api/v1/admin/players/{playerId}/ban")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Ban a player: their tokens stop working in every service and their refresh tokens are revoked")
    void ban(@PathVariable UUID playerId, @Valid @RequestBody BanRequest request) {
        bans.ban(playerId, request.until(), request.reason(), access.subject());
    }

    @DeleteMapping("/api/v1/admin/players/{playerId}/ban")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Lift a player's ban")
    void unban(@PathVariable UUID playerId) {
        bans.unban(playerId, access.subject());
    }

    @GetMapping("/api/v1/admin/players/{playerId}/bans")
    @PreAuthorize("@access.isOperator()")
    @Operation(summary = "The player's bans and lifts, newest first, each naming its operator (operators: ADMIN or VIEWER)")
    List<Bans.BanEntry> log(@PathVariable UUID playerId, @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return bans.log(playerId, limit);
    }
}

record BanRequest(@Schema(description = "end of the ban; absent: until lifted") Instant until,
        @NotBlank @Size(max = 500) String reason) {
}
