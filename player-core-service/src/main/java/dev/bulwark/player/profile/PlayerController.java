package dev.bulwark.player.profile;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.platform.security.Access;
import dev.bulwark.platform.security.AuthorityLease;
import dev.bulwark.platform.security.AuthorityLeases;
import dev.bulwark.platform.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

@RestController
class PlayerController {

    static final String LEASE_HEADER = "Authority-Lease";

    private final Players players;
    private final AuthorityLeases leases;
    private final Access access;

    PlayerController(Players players, AuthorityLeases leases, Access access) {
        this.players = players;
        this.leases = leases;
        this.access = access;
    }

    @GetMapping("/api/v1/players/{playerId}")
    @PreAuthorize("@access.isPlayerOrTrusted(#playerId)")
    @Operation(summary = "Profile and progression; ETag carries the version")
    ResponseEntity<PlayerView> get(@PathVariable UUID playerId) {
        PlayerView player = players.get(playerId);
        return ResponseEntity.ok().eTag(String.valueOf(player.version())).body(player);
    }

    @PatchMapping("/api/v1/players/{playerId}")
    @PreAuthorize("@access.isPlayer(#playerId)")
    @Operation(summary = "Change settings under optimistic versioning: send the version read (If-Match or version); "
            + "a stale one is 409 concurrent-update, none is 428")
    ResponseEntity<PlayerView> updateSettings(@PathVariable UUID playerId,
            @RequestHeader(name = "If-Match", required = false) String ifMatch,
            @Valid @RequestBody SettingsRequest request) {
        long version = expectedVersion(ifMatch, request.version());
        PlayerView player = players.updateSettings(playerId, version, request.avatar(), request.language());
        return ResponseEntity.ok().eTag(String.valueOf(player.version())).body(player);
    }

    @PostMapping("/api/v1/players/{playerId}/experience")
    @PreAuthorize("@access.hasRole('GAME_SERVER')")
    @Operation(summary = "Add experience (raised by an active XP boost) as the game server holding the player; "
            + "levels follow 50·L·(L−1); 409 stale-lease on a stale or foreign lease")
    Players.ExperienceGained addExperience(@PathVariable UUID playerId, @RequestHeader(LEASE_HEADER) String lease,
            @Valid @RequestBody ExperienceRequest request) {
        return players.addExperience(playerId, holder(lease, playerId), request.amount());
    }

    @PutMapping("/api/v1/players/{playerId}/stats")
    @PreAuthorize("@access.hasRole('GAME_SERVER')")
    @Operation(summary = "Replace stats within bounds as the game server holding the player; 409 stale-lease on a stale "
            + "lease; with the version read (If-Match or version), 409 concurrent-update if the player changed meanwhile")
    PlayerView replaceStats(@PathVariable UUID playerId, @RequestHeader(LEASE_HEADER) String lease,
            @RequestHeader(name = "If-Match", required = false) String ifMatch, @Valid @RequestBody StatsRequest request) {
        AuthorityLease holder = holder(lease, playerId);
        Long version = ifMatch == null && request.version() == null ? null : expectedVersion(ifMatch, request.version());
        return players.replaceStats(playerId, holder,
                new PlayerView.Stats(request.hp(), request.mp(), request.strength(), request.agility()), version);
    }

    private AuthorityLease holder(String lease, UUID playerId) {
        return leases.verifyHeldBy(lease, playerId, access.subject());
    }

    private static long expectedVersion(String ifMatch, Long bodyVersion) {
        Long headerVersion = null;
        if (ifMatch != null) {
            try {
                headerVersion = Long.parseLong(ifMatch.replace("W/", "").replace("\"", "").trim());
            }
            catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid-request", "If-Match must be the version read, e.g. \"3\"");
            }
        }
        if (headerVersion != null && bodyVersion != null && !headerVersion.equals(bodyVersion)) {
            throw ApiException.badRequest("invalid-request", "If-Match and version disagree");
        }
        Long version = headerVersion != null ? headerVersion : bodyVersion;
        if (version == null) {
            throw new ApiException(HttpStatus.PRECONDITION_REQUIRED, "version-required",
                    "Send the version you read (If-Match header or version field)");
        }
        return version;
    }
}

record SettingsRequest(
        @Schema(description = "an avatar id: 1-64 of A-Z a-z 0-9 _ -") @Pattern(regexp = "[A-Za-z0-9_-]{1,64}") String avatar,
        @Schema(description = "a language tag such as en or pt-BR") @Pattern(regexp = "[a-z]{2,3}(-[A-Z]{2})?") String language,
        @Schema(description = "the version read; alternatively If-Match") @Min(0) Long version) {
}

record ExperienceRequest(@NotNull @Min(1) @Max(100_000) Long amount) {
}

@Schema(description = "hp 1-9999, mp 0-9999, strength 1-999, agility 1-999")
record StatsRequest(
        @NotNull @Min(1) @Max(9999) Integer hp,
        @NotNull @Min(0) @Max(9999) Integer mp,
        @NotNull @Min(1) @Max(999) Integer strength,
        @NotNull @Min(1) @Max(999) Integer agility,
        @Schema(description = "optional: the version read, so that a concurrent change is not overwritten") @Min(0) Long version) {
}
