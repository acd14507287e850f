package dev.bulwark.social.presence;

import java.util.List;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.platform.security.Access;
import dev.bulwark.platform.security.Roles;
import dev.bulwark.social.presence.Presence.View;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** Presence for the player, their friends and operators; nobody else learns whether a player is online. */
@RestController
class PresenceController {

    private final Presence presence;
    private final Access access;

    PresenceController(Presence presence, Access access) {
        this.presence = presence;
        this.access = access;
    }

    @Schema(description = "Whether the connected player shows as AWAY instead of ONLINE")
    record AwayRequest(@NotNull Boolean away) {
    }

    @Operation(summary = "A player's presence: ONLINE or AWAY while their live stream is connected (the notification "
            + "stream), IN_GAME while a game server holds them, OFFLINE otherwise, with when they were last seen")
    @ApiResponse(responseCode = "403", description = "forbidden: neither the player, a friend of theirs nor an operator")
    @GetMapping("/api/v1/players/{playerId}/presence")
    @PreAuthorize("isAuthenticated()")
    View presence(@PathVariable UUID playerId) {
        boolean allowed = access.isPlayerOrAdmin(playerId)
                || access.hasRole(Roles.PLAYER) && presence.friends(playerId, UUID.fromString(access.subject()));
        if (!allowed) {
            throw new AccessDeniedException("Presence is for the player's friends");
        }
        return presence.of(playerId);
    }

    @Operation(summary = "The player's friends, each with their presence")
    @GetMapping("/api/v1/players/{playerId}/presence/friends")
    @PreAuthorize("@access.isPlayerOrAdmin(#playerId)")
    List<View> friends(@PathVariable UUID playerId) {
        return presence.friendsOf(playerId);
    }

    @Operation(summary = "The player shows as AWAY (or ONLINE again) while connected")
    @PutMapping("/api/v1/players/{playerId}/presence")
    @PreAuthorize("@access.isPlayer(#playerId)")
    ResponseEntity<View> away(@PathVariable UUID playerId, @Valid @RequestBody AwayRequest request) {
        presence.setAway(playerId, request.away());
        return ResponseEntity.ok(presence.of(playerId));
    }
}
