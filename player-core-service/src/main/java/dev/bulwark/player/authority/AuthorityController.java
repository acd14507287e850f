package dev.bulwark.player.authority;

import java.time.Instant;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.platform.security.Access;
import dev.bulwark.platform.security.AuthorityLease;
import dev.bulwark.platform.security.AuthorityLeases;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The server id is always the caller's token subject, never a field of the request. */
@RestController
@PreAuthorize("@access.hasRole('GAME_SERVER')")
class AuthorityController {

    private static final String LEASE_HEADER = "Authority-Lease";

    private final Authority authority;
    private final AuthorityLeases leases;
    private final Access access;

    AuthorityController(Authority authority, AuthorityLeases leases, Access access) {
        this.authority = authority;
        this.leases = leases;
        this.access = access;
    }

    @PostMapping("/api/v1/players/{playerId}/authority")
    @Operation(summary = "Claim a free player, or one whose lease expired (epoch + 1); 409 authority-held while another "
            + "server's lease is live; the holder claiming again gets a fresh lease at the same epoch")
    LeaseResponse claim(@PathVariable UUID playerId, @Valid @RequestBody(required = false) LeaseRequest request) {
        return authority.claim(playerId, access.subject(), authority.ttl(request == null ? null : request.ttlSeconds()));
    }

    @PostMapping("/api/v1/players/{playerId}/authority/renew")
    @Operation(summary = "Extend the holder's lease before it expires (same epoch); 409 stale-lease otherwise")
    LeaseResponse renew(@PathVariable UUID playerId, @RequestHeader(LEASE_HEADER) String lease,
            @Valid @RequestBody(required = false) LeaseRequest request) {
        return authority.renew(playerId, holder(lease, playerId),
                authority.ttl(request == null ? null : request.ttlSeconds()));
    }

    @PostMapping("/api/v1/players/{playerId}/authority/transfer")
    @Operation(summary = "Hand the player to another configured game server, which gets epoch + 1; the response is the "
            + "new holder's lease; 409 stale-lease")
    LeaseResponse transfer(@PathVariable UUID playerId, @RequestHeader(LEASE_HEADER) String lease,
            @Valid @RequestBody TransferRequest request) {
        return authority.transfer(playerId, holder(lease, playerId), request.toServerId());
    }

    @DeleteMapping("/api/v1/players/{playerId}/authority")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Release the player; the next claim gets epoch + 1; 409 stale-lease")
    void release(@PathVariable UUID playerId, @RequestHeader(LEASE_HEADER) String lease) {
        authority.release(playerId, holder(lease, playerId));
    }

    private AuthorityLease holder(String lease, UUID playerId) {
        return leases.verifyHeldBy(lease, playerId, access.subject());
    }
}

@Schema(description = "Optional: a shorter (or, up to the configured maximum, longer) lease than the default")
record LeaseRequest(@Min(1) @Max(3600) Integer ttlSeconds) {
}

record TransferRequest(@NotBlank @Size(max = 64) String toServerId) {
}

@Schema(description = "A signed lease (compact JWS, typ lease+jwt, audience bulwark-lease) naming player, server, epoch "
        + "and expiry; send it as the Authority-Lease header with every write about the player")
record LeaseResponse(String serverId, long epoch, Instant expiresAt, String lease) {
}
