package dev.bulwark.player.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the account tables from growing without bound: login-throttle
 * rows whose window has passed (they count for nothing, and guesses at unknown usernames create
 * them too), and refresh tokens expired for longer than a token's lifetime (kept that long after
 * expiry so that a stolen, used token presented late still revokes its family). Each batch is its
 * own short statement, and rows another replica's run is deleting are skipped ({@code SKIP
 * LOCKED}), so replicas running it at once split the work instead of queueing.
 */
@Component
class AccountHousekeeping {

    private static final Logger log = LoggerFactory.getLogger(AccountHousekeeping.class);
    static final int BATCH = 1_000;

    private final JdbcClient jdbc;
    private final AuthProperties properties;
    private final Clock clock;

    AccountHousekeeping(JdbcClient jdbc, AuthProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${bulwark.auth.housekeeping-interval:10m}",
            fixedDelayString = "${bulwark.auth.housekeeping-interval:10m}")
    void run() {
        try {
            purge();
        } catch (RuntimeException e) {
            log.warn("Account housekeeping did not complete: {}", e.toString());
        }
    }

    /** Deletes what no longer counts; returns how many rows went. */
    int purge() {
        Instant now = clock.instant();
        int removed = batches("""
                DELETE FROM login_throttle WHERE throttle_key IN (
                  SELECT throttle_key FROM login_throttle WHERE window_started_at <= :before LIMIT :batch FOR UPDATE SKIP LOCKED)""",
                now.minus(properties.loginWindow()));
        removed += batches("""
                DELETE FROM sign_in_address WHERE (principal_key, address_hash) IN (
                  SELECT principal_key, address_hash FROM sign_in_address WHERE last_success_at <= :before
                  LIMIT :batch FOR UPDATE SKIP LOCKED)""",
                now.minus(properties.signInAddressRetention()));
        removed += batches("""
                DELETE FROM refresh_token WHERE token_hash IN (
                  SELECT token_hash FROM refresh_token WHERE expires_at <= :before LIMIT :batch FOR UPDATE SKIP LOCKED)""",
                now.minus(properties.refreshTokenTtl()));
        if (removed > 0) {
            log.info("Account housekeeping removed {} expired rows", removed);
        }
        return removed;
    }

    private int batches(String delete, Instant before) {
        int total = 0;
        int removed;
        do {
            removed = jdbc.sql(delete).param("before", Timestamp.from(before)).param("batch", BATCH).update();
            total += removed;
        } while (removed == BATCH);
        return total;
    }
}
