package dev.bulwark.player.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.bulwark.platform.web.ApiException;

/**
 * Limits password guessing per username across every instance: the count lives in PostgreSQL.
 * Each attempt is counted before the password is checked (one atomic upsert), so parallel
 * guesses cannot slip past the limit; a successful login clears the count. Unknown usernames are
 * counted too, so the answer does not reveal which names exist.
 */
@Component
class LoginThrottle {

    private final JdbcClient jdbc;
    private final AuthProperties properties;
    private final Clock clock;

    LoginThrottle(JdbcClient jdbc, AuthProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** Counts an attempt; 429 with {@code Retry-After} when the window's attempts are used up. */
    void attempt(String username) {
        Instant now = clock.instant();
        Instant windowStart = now.minus(properties.loginWindow());
        var counted = jdbc.sql("""
                INSERT INTO login_throttle (username_ci, attempts, window_started_at) VALUES (lower(:username), 1, :now)
                ON CONFLICT (username_ci) DO UPDATE SET
                  attempts = CASE WHEN login_throttle.window_started_at <= :windowStart THEN 1
                                  ELSE login_throttle.attempts + 1 END,
                  window_started_at = CASE WHEN login_throttle.window_started_at <= :windowStart THEN :now
                                           ELSE login_throttle.window_started_at END
                RETURNING attempts, window_started_at""")
                .param("username", username).param("now", Timestamp.from(now))
                .param("windowStart", Timestamp.from(windowStart))
                .query((rs, n) -> new Counted(rs.getInt("attempts"), rs.getTimestamp("window_started_at").toInstant()))
                .single();
        if (counted.attempts() > properties.loginMaxAttempts()) {
            long retryAfter = Math.max(1, Duration.between(now, counted.windowStartedAt().plus(properties.loginWindow()))
                    .toSeconds());
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "too-many-login-attempts",
                    "Too many login attempts for this username; retry in " + retryAfter + " s")
                    .withHeader("Retry-After", String.valueOf(retryAfter));
        }
    }

    void succeeded(String username) {
        jdbc.sql("DELETE FROM login_throttle WHERE username_ci = lower(:username)").param("username", username).update();
    }

    private record Counted(int attempts, Instant windowStartedAt) {
    }
}
