package dev.bulwark.player.admin;

import java.time.Instant;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

@RestController
@PreAuthorize("@access.hasRole('ADMIN')")
class BanController {

    private final Bans bans;

    BanController(Bans bans) {
        this.bans = bans;
    }

    @PostMapping("/api/v1/admin/players/{playerId}/ban")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Ban a player: their tokens stop working in every service and their refresh tokens are revoked")
    void ban(@PathVariable UUID playerId, @Valid @RequestBody BanRequest request) {
        bans.ban(playerId, request.until(), request.reason());
    }

    @DeleteMapping("/api/v1/admin/players/{playerId}/ban")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Lift a player's ban")
    void unban(@PathVariable UUID playerId) {
        bans.unban(playerId);
    }
}

record BanRequest(@Schema(description = "end of the ban; absent: until lifted") Instant until,
        @NotBlank @Size(max = 500) String reason) {
}
