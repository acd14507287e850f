package dev.bulwark.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** The decoder keeps verified tokens, and still validates each use: nothing the cache lets through a fresh decode would refuse. */
class CachingJwtDecoderTests {

    private static final RSAKey KEY = generate();
    private static final RSAKey OTHER_KEY = generate();
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private final AtomicInteger verifications = new AtomicInteger();
    private final AtomicBoolean banned = new AtomicBoolean();
    private final MutableClock clock = new MutableClock();

    private CachingJwtDecoder decoder() throws Exception {
        NimbusJwtDecoder nimbus = NimbusJwtDecoder.withPublicKey((RSAPublicKey) KEY.toPublicKey()).build();
        nimbus.setJwtValidator(jwt -> OAuth2TokenValidatorResult.success());
        JwtDecoder counting = token -> {
            verifications.incrementAndGet();
            return nimbus.decode(token);
        };
        JwtTimestampValidator expiry = new JwtTimestampValidator(Duration.ZERO);
        expiry.setClock(clock);
        OAuth2TokenValidator<Jwt> notBanned = jwt -> banned.get()
                ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "The player is banned", null))
                : OAuth2TokenValidatorResult.success();
        return new CachingJwtDecoder(counting, new DelegatingOAuth2TokenValidator<>(expiry, notBanned), 100,
                Duration.ofMinutes(10));
    }

    @Test
    void aTokenUsedManyTimesIsVerifiedOnce() throws Exception {
        CachingJwtDecoder decoder = decoder();
        String token = token(KEY, NOW.plusSeconds(600));

        for (int i = 0; i < 5; i++) {
            assertThat(decoder.decode(token).getSubject()).isEqualTo("player-1");
        }

        assertThat(verifications).hasValue(1);
    }

    @Test
    void aKeptTokenIsRefusedOnceItsPlayerIsBanned() throws Exception {
        CachingJwtDecoder decoder = decoder();
        String token = token(KEY, NOW.plusSeconds(600));
        decoder.decode(token);

        banned.set(true);

        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("The player is banned");
    }

    @Test
    void aKeptTokenIsRefusedOnceItExpires() throws Exception {
        CachingJwtDecoder decoder = decoder();
        String token = token(KEY, NOW.plusSeconds(60));
        decoder.decode(token);

        clock.now = NOW.plusSeconds(61);

        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefusedEveryTimeAndNeverKept() throws Exception {
        CachingJwtDecoder decoder = decoder();
        String forged = token(OTHER_KEY, NOW.plusSeconds(600));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(BadJwtException.class);
        }

        assertThat(verifications).hasValue(3);
    }

    private static String token(RSAKey key, Instant expiresAt) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("player-1").issueTime(Date.from(NOW.minusSeconds(1)))
                .expirationTime(Date.from(expiresAt)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class MutableClock extends Clock {

        Instant now = NOW;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
