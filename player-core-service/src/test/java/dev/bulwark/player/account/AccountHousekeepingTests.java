package dev.bulwark.player.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.player.Api;
import dev.bulwark.testsupport.IntegrationTest;

/** Login-throttle rows and long-expired refresh tokens go; everything that still counts stays. */
@IntegrationTest
class AccountHousekeepingTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AccountHousekeeping housekeeping;

    @Test
    void purgesPassedThrottleWindowsAndLongExpiredRefreshTokensInBatches() {
        UUID player = UUID.fromString(new Api(port).register().text("playerId"));
        Instant now = Instant.now();
        String prefix = "hk-" + UUID.randomUUID() + "-";
        int stale = AccountHousekeeping.BATCH + 7;
        jdbc.sql("""
                INSERT INTO login_throttle (throttle_key, attempts, window_started_at)
                SELECT :prefix || n, 3, :at FROM generate_series(1, :count) n""")
                .param("prefix", prefix).param("at", Timestamp.from(now.minus(Duration.ofHours(1))))
                .param("count", stale).update();
        throttle(prefix + "current", now.minus(Duration.ofMinutes(1)));
        refreshToken(player, prefix + "long-expired", now.minus(Duration.ofDays(61)));
        refreshToken(player, prefix + "recently-expired", now.minus(Duration.ofDays(1)));
        refreshToken(player, prefix + "live", now.plus(Duration.ofDays(29)));

        housekeeping.purge();

        assertThat(jdbc.sql("SELECT throttle_key FROM login_throttle WHERE throttle_key LIKE :p || '%'")
                .param("p", prefix).query(String.class).list()).containsExactly(prefix + "current");
        assertThat(jdbc.sql("SELECT count(*) FROM refresh_token WHERE token_hash = :h")
                .param("h", RefreshTokens.hash(prefix + "long-expired")).query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM refresh_token WHERE token_hash IN (:a, :b)")
                .param("a", RefreshTokens.hash(prefix + "recently-expired")).param("b", RefreshTokens.hash(prefix + "live"))
                .query(Integer.class).single())
                .as("a used token expired less than a lifetime ago still detects reuse").isEqualTo(2);
    }

    private void throttle(String username, Instant windowStart) {
        jdbc.sql("INSERT INTO login_throttle (throttle_key, attempts, window_started_at) VALUES (:u, 1, :at)")
                .param("u", username).param("at", Timestamp.from(windowStart)).update();
    }

    private void refreshToken(UUID player, String token, Instant expiresAt) {
        jdbc.sql("""
                INSERT INTO refresh_token (token_hash, family_id, player_id, issued_at, expires_at, used_at)
                VALUES (:hash, :family, :player, :issued, :expires, :issued)""")
                .param("hash", RefreshTokens.hash(token)).param("family", UUID.randomUUID()).param("player", player)
                .param("issued", Timestamp.from(expiresAt.minus(Duration.ofDays(30))))
                .param("expires", Timestamp.from(expiresAt)).update();
    }
}
