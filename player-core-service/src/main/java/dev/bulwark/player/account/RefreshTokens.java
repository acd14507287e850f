package dev.bulwark.player.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;


/**
 * Opaque, single-use refresh tokens in families. Only a token's SHA-256 is stored, so the table
 * does not leak usable tokens. Rotation marks the presented token used and issues the next one
 * of its family; a used token presented again means two parties hold it, so the whole family is
 * revoked and neither can continue.
 */
@Component
public class RefreshTokens {

    private final SecureRandom random = new SecureRandom();
    private final JdbcClient jdbc;
    private final AuthProperties properties;
    private final Clock clock;

    RefreshTokens(JdbcClient jdbc, AuthProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** Starts a new family (at registration or login). */
    @Transactional(propagation = Propagation.MANDATORY)
    String open(UUID playerId) {
        return issue(playerId, UUID.randomUUID());
    }

    /**
     * Uses a refresh token and returns its player and the next token of its family. Refusals
     * are 401; a reuse commits the family's revocation although the call fails.
     */
    @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = TokenRefusal.class)
    Rotated rotate(String token) {
        byte[] hash = hash(token);
        Instant now = clock.instant();
        var found = jdbc.sql("""
                SELECT family_id, player_id, expires_at, used_at, revoked_at FROM refresh_token
                WHERE token_hash = :hash FOR UPDATE""")
                .param("hash", hash)
                .query((rs, n) -> new Stored(rs.getObject("family_id", UUID.class), rs.getObject("player_id", UUID.class),
                        rs.getTimestamp("expires_at").toInstant(), rs.getTimestamp("used_at") != null,
                        rs.getTimestamp("revoked_at") != null))
                .optional()
                .orElseThrow(() -> refused(TokenRefusal.Reason.INVALID_REFRESH_TOKEN, "Unknown refresh token"));
        if (found.revoked()) {
            throw refused(TokenRefusal.Reason.REVOKED_REFRESH_TOKEN, "This refresh token was revoked; sign in again");
        }
        if (found.used()) {
            revokeFamily(found.familyId(), now);
            throw refused(TokenRefusal.Reason.REUSED_REFRESH_TOKEN,
                    "This refresh token was already used; its whole family is revoked, sign in again");
        }
        if (!found.expiresAt().isAfter(now)) {
            throw refused(TokenRefusal.Reason.EXPIRED_REFRESH_TOKEN, "This refresh token expired; sign in again");
        }
        jdbc.sql("UPDATE refresh_token SET used_at = :now WHERE token_hash = :hash")
                .param("now", Timestamp.from(now)).param("hash", hash).update();
        return new Rotated(found.playerId(), issue(found.playerId(), found.familyId()));
    }

    /** Revokes every live refresh token of a player (a ban). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void revokeAll(UUID playerId) {
        jdbc.sql("UPDATE refresh_token SET revoked_at = :now WHERE player_id = :player AND revoked_at IS NULL")
                .param("now", Timestamp.from(clock.instant())).param("player", playerId).update();
    }

    private void revokeFamily(UUID familyId, Instant now) {
        jdbc.sql("UPDATE refresh_token SET revoked_at = :now WHERE family_id = :family AND revoked_at IS NULL")
                .param("now", Timestamp.from(now)).param("family", familyId).update();
    }

    private String issue(UUID playerId, UUID familyId) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        jdbc.sql("""
                INSERT INTO refresh_token (token_hash, family_id, player_id, issued_at, expires_at)
                VALUES (:hash, :family, :player, :now, :expires)""")
                .param("hash", hash(token)).param("family", familyId).param("player", playerId)
                .param("now", Timestamp.from(now)).param("expires", Timestamp.from(now.plus(properties.refreshTokenTtl())))
                .update();
        return token;
    }

    /** {@link #hash} as lower-case hex, for text columns. */
    static String hashHex(String value) {
        return java.util.HexFormat.of().formatHex(hash(value));
    }

    static byte[] hash(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TokenRefusal refused(TokenRefusal.Reason reason, String detail) {
        return new TokenRefusal(reason, detail);
    }

    private record Stored(UUID familyId, UUID playerId, Instant expiresAt, boolean used, boolean revoked) {
    }

    record Rotated(UUID playerId, String refreshToken) {
    }
}
