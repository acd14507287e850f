package dev.bulwark.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * The signing key pair of a test JVM, written as PEM files that services read exactly as they
 * read the real ones, and a minter for tokens of every role, including the ones that must be
 * refused (other key, expired, wrong issuer).
 */
public final class TestKeys {

    public static final String ISSUER = "http://localhost:8081";
    public static final String AUDIENCE = "bulwark";

    private static final TestKeys PRIMARY = new TestKeys();
    private static final TestKeys OTHER = new TestKeys();

    private final KeyPair keyPair;
    private final Path publicPem;
    private final Path privatePem;
    private final NimbusJwtEncoder encoder;

    private TestKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keyPair = generator.generateKeyPair();
            Path dir = Files.createTempDirectory("bulwark-keys");
            publicPem = Files.writeString(dir.resolve("public.pem"), pem("PUBLIC KEY", keyPair.getPublic().getEncoded()));
            privatePem = Files.writeString(dir.resolve("private.pem"), pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        encoder = NimbusJwtEncoder.withKeyPair((RSAPublicKey) keyPair.getPublic(), (RSAPrivateKey) keyPair.getPrivate())
                .build();
    }

    /** The key pair the services under test trust. */
    public static TestKeys primary() {
        return PRIMARY;
    }

    /** A key pair nobody trusts. */
    public static TestKeys other() {
        return OTHER;
    }

    public String publicKeyLocation() {
        return publicPem.toUri().toString();
    }

    public String privateKeyLocation() {
        return privatePem.toUri().toString();
    }

    public String playerToken(UUID playerId) {
        return token(playerId.toString(), "PLAYER", ISSUER, Duration.ofMinutes(15));
    }

    /** A player token issued at {@code issuedAt} (valid for 15 minutes from now). */
    public String playerToken(UUID playerId, Instant issuedAt) {
        return token(playerId.toString(), "PLAYER", ISSUER, AUDIENCE, issuedAt, Instant.now().plus(Duration.ofMinutes(15)));
    }

    public String gameServerToken(String serverId) {
        return token(serverId, "GAME_SERVER", ISSUER, Duration.ofMinutes(15));
    }

    public String adminToken(String clientId) {
        return token(clientId, "ADMIN", ISSUER, Duration.ofMinutes(15));
    }

    /** An operator who may read but not act (role VIEWER). */
    public String viewerToken(String subject) {
        return token(subject, "VIEWER", ISSUER, Duration.ofMinutes(15));
    }

    /** A token of any shape; a negative lifetime gives one that has already expired. */
    public String token(String subject, String role, String issuer, Duration lifetime) {
        return token(subject, role, issuer, AUDIENCE, lifetime);
    }

    /** A token for any audience, e.g. one meant for another system. */
    public String token(String subject, String role, String issuer, String audience, Duration lifetime) {
        Instant now = Instant.now();
        Instant issuedAt = lifetime.isNegative() ? now.plus(lifetime).minusSeconds(60) : now;
        return token(subject, role, issuer, audience, issuedAt, now.plus(lifetime));
    }

    private String token(String subject, String role, String issuer, String audience, Instant issuedAt,
            Instant expiresAt) {
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(issuer)
                .subject(subject)
                .audience(List.of(audience))
                .issuedAt(issuedAt)
                .expiresAt(expiresAt)
                .id(UUID.randomUUID().toString())
                .claim("roles", List.of(role))
                .build();
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).build();
        return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
    }

    /**
     * An authority lease as player-core signs it (header typ {@code lease+jwt}, audience
     * {@code bulwark-lease}, subject the player, claims {@code server} and {@code epoch}); a
     * negative ttl gives one that has already expired.
     */
    public String lease(UUID playerId, String serverId, long epoch, Duration ttl) {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(ISSUER)
                .subject(playerId.toString())
                .audience(List.of("bulwark-lease"))
                .issuedAt(ttl.isNegative() ? now.plus(ttl).minusSeconds(60) : now)
                .expiresAt(now.plus(ttl))
                .id(UUID.randomUUID().toString())
                .claim("server", serverId)
                .claim("epoch", epoch)
                .build();
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).type("lease+jwt").build();
        return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
