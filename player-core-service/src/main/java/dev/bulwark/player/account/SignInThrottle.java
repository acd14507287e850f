package dev.bulwark.player.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.bulwark.platform.ratelimit.RateLimit;
import dev.bulwark.platform.ratelimit.RateLimits;

/**
 * Limits guessing at passwords ({@code /auth/login}, per username) and client secrets
 * ({@code /auth/token}, per client id) across every instance. Three rules, each counted before
 * the secret is checked, so parallel guesses cannot slip past:
 * <ul>
 * <li>per address, over all accounts: {@code signInsPerAddress} attempts per period (a token
 * bucket, {@link RateLimits}) — against spraying one password over many usernames;</li>
 * <li>per (account, address): {@code loginMaxAttempts} per {@code loginWindow}, cleared by a
 * success from that address;</li>
 * <li>per account: {@code loginMaxAttemptsPerUsername} per window, counted and applied only to
 * addresses that have never signed in to that account.</li>
 * </ul>
 * So an attacker failing on purpose locks out only unknown addresses: the owner, signing in
 * from an address that worked before, is not locked out (docs/decisions.md). Unknown usernames
 * and client ids are counted the same way, so the answers do not reveal which exist.
 */
@Component
class SignInThrottle {

    /** What is signed in to: the key spaces stay apart. */
    enum Kind {
        USER("user"), CLIENT("client");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    private final JdbcClient jdbc;
    private final AuthProperties properties;
    private final Clock clock;
    private final RateLimit perAddress;

    SignInThrottle(JdbcClient jdbc, AuthProperties properties, Clock clock, RateLimits rateLimits) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        AuthProperties.AddressLimit limit = properties.signInsPerAddress();
        this.perAddress = rateLimits.limit("sign-ins-per-address", limit.capacity(), limit.capacity(), limit.period(),
                "Too many sign-in attempts from this address");
    }

    /** Counts an attempt; 429 with {@code Retry-After} when one of the rules is used up. */
    void attempt(Kind kind, String principal, String address) {
        perAddress.acquire(address);
        String account = principalKey(kind, principal);
        count(account + "|" + RefreshTokens.hashHex(address), properties.loginMaxAttempts(),
                "Too many attempts for this " + kind.prefix + " from this address");
        if (!known(account, address)) {
            count(account, properties.loginMaxAttemptsPerUsername(),
                    "Too many attempts for this " + kind.prefix + " from new addresses");
        }
    }

    /** Clears this address's count and remembers that it signed in to the account. */
    void succeeded(Kind kind, String principal, String address) {
        String account = principalKey(kind, principal);
        String addressHash = RefreshTokens.hashHex(address);
        jdbc.sql("DELETE FROM login_throttle WHERE throttle_key = :key").param("key", account + "|" + addressHash)
                .update();
        jdbc.sql("""
                INSERT INTO sign_in_address (principal_key, address_hash, last_success_at) VALUES (:account, :address, :now)
                ON CONFLICT (principal_key, address_hash) DO UPDATE SET last_success_at = EXCLUDED.last_success_at""")
                .param("account", account).param("address", addressHash)
                .param("now", Timestamp.from(clock.instant())).update();
    }

    private boolean known(String account, String address) {
        return jdbc.sql("SELECT count(*) FROM sign_in_address WHERE principal_key = :account AND address_hash = :address")
                .param("account", account).param("address", RefreshTokens.hashHex(address))
                .query(Integer.class).single() > 0;
    }

    private void count(String key, int max, String refusal) {
        Instant now = clock.instant();
        Instant windowStart = now.minus(properties.loginWindow());
        var counted = jdbc.sql("""
                INSERT INTO login_throttle (throttle_key, attempts, window_started_at) VALUES (:key, 1, :now)
                ON CONFLICT (throttle_key) DO UPDATE SET
                  attempts = CASE WHEN login_throttle.window_started_at <= :windowStart THEN 1
                                  ELSE login_throttle.attempts + 1 END,
                  window_started_at = CASE WHEN login_throttle.window_started_at <= :windowStart THEN :now
                                           ELSE login_throttle.window_started_at END
                RETURNING attempts, window_started_at""")
                .param("key", key).param("now", Timestamp.from(now))
                .param("windowStart", Timestamp.from(windowStart))
                .query((rs, n) -> new Counted(rs.getInt("attempts"), rs.getTimestamp("window_started_at").toInstant()))
                .single();
        if (counted.attempts() > max) {
            long retryAfter = Math.max(1, Duration.between(now, counted.windowStartedAt().plus(properties.loginWindow()))
                    .toSeconds());
            throw SignInRefusal.throttled(refusal + "; retry in " + retryAfter + " s", retryAfter);
        }
    }

    private static String principalKey(Kind kind, String principal) {
        return kind.prefix + ":" + principal.toLowerCase(Locale.ROOT);
    }

    private record Counted(int attempts, Instant windowStartedAt) {
    }
}
