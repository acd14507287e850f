package dev.bulwark.platform.security;

import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import dev.bulwark.platform.web.ApiException;

/**
 * Verifies authority leases offline, from the same public key as access tokens. A lease is a
 * compact JWS with header {@code typ: lease+jwt}, audience {@value #AUDIENCE}, subject = the
 * player id, and claims {@code server} and {@code epoch}; the different type and audience keep
 * a lease from passing as an access token and the other way round.
 *
 * <p>Refusals: a lease that is not one of ours (bad signature, other type, audience or issuer,
 * garbage) is 400 {@code invalid-lease}; an expired lease, or one for another player or held by
 * another server, is 409 {@code stale-lease}.
 */
public class AuthorityLeases {

    public static final String TYPE = "lease+jwt";
    public static final String AUDIENCE = "bulwark-lease";
    public static final String SERVER_CLAIM = "server";
    public static final String EPOCH_CLAIM = "epoch";

    private final NimbusJwtDecoder decoder;
    private final Clock clock;

    public AuthorityLeases(RSAPublicKey publicKey, String issuer, Clock clock) {
        this.clock = clock;
        // Nimbus' own type check accepts only JWT; the validator below checks lease+jwt instead.
        this.decoder = NimbusJwtDecoder.withPublicKey(publicKey).validateType(false).build();
        JwtTypeValidator type = new JwtTypeValidator(TYPE);
        type.setAllowEmpty(false);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtIssuerValidator(issuer), type,
                PlatformSecurityConfiguration.audience(AUDIENCE)));
    }

    /** Parses and verifies a lease, refusing an expired one. */
    public AuthorityLease verify(String lease) {
        Jwt jwt;
        AuthorityLease parsed;
        try {
            jwt = decoder.decode(lease);
            parsed = new AuthorityLease(UUID.fromString(jwt.getSubject()), jwt.getClaimAsString(SERVER_CLAIM),
                    ((Number) jwt.getClaims().get(EPOCH_CLAIM)).longValue(), jwt.getExpiresAt());
        }
        catch (JwtException | IllegalArgumentException | NullPointerException | ClassCastException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid-lease", "The Authority-Lease is not a valid lease");
        }
        if (parsed.serverId() == null || parsed.expiresAt() == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid-lease", "The Authority-Lease is not a valid lease");
        }
        if (!parsed.expiresAt().isAfter(clock.instant())) {
            throw stale("The lease expired at " + parsed.expiresAt());
        }
        return parsed;
    }

    /** Verifies a lease and that it is about {@code playerId} and held by {@code serverId} (the caller). */
    public AuthorityLease verifyHeldBy(String lease, UUID playerId, String serverId) {
        AuthorityLease parsed = verify(lease);
        if (!parsed.playerId().equals(playerId) || !parsed.serverId().equals(serverId)) {
            throw stale("The lease is not this server's lease for this player");
        }
        return parsed;
    }

    public static ApiException stale(String detail) {
        return ApiException.conflict("stale-lease", detail);
    }
}
