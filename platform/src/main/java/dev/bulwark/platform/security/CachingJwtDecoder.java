package dev.bulwark.platform.security;

import java.time.Duration;
import java.util.Objects;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Checks a token's signature once, its validity on every request. A client sends the same
 * bearer token on every call for the token's lifetime, and parsing it, verifying its RSA
 * signature and converting its claims were about a tenth of an economy write's CPU
 * (docs/benchmarks.md). So the decoded {@link Jwt} of a token whose signature verified is kept
 * (bounded, by the exact token text: another signature is another key), while the validators —
 * expiry, issuer, audience, the ban list — run on every request as before: an expired token or
 * a banned player is refused the moment it would have been without the cache. A token that fails
 * verification is not kept, so it costs its verification every time, as before.
 */
final class CachingJwtDecoder implements JwtDecoder {

    private final JwtDecoder verifying;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Cache<String, Jwt> verified;

    /**
     * @param verifying parses, verifies the signature and converts the claims, and validates nothing
     * @param validator what every use of a token must pass
     */
    CachingJwtDecoder(JwtDecoder verifying, OAuth2TokenValidator<Jwt> validator, int maximumTokens,
            Duration keepFor) {
        this.verifying = verifying;
        this.validator = validator;
        this.verified = Caffeine.newBuilder().maximumSize(maximumTokens).expireAfterWrite(keepFor).build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt jwt = verified.get(token, verifying::decode);
        OAuth2TokenValidatorResult result = validator.validate(jwt);
        if (result.hasErrors()) {
            // As NimbusJwtDecoder words it, so that the 401 says the same with or without the cache.
            String description = result.getErrors().stream().map(OAuth2Error::getDescription)
                    .filter(Objects::nonNull).findFirst().orElse("Unable to validate Jwt");
            throw new JwtValidationException(
                    "An error occurred while attempting to decode the Jwt: " + description, result.getErrors());
        }
        return jwt;
    }
}
