package dev.bulwark.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.zaxxer.hikari.HikariDataSource;

import dev.bulwark.platform.web.ApiException;
import dev.bulwark.testsupport.IntegrationTest;

/**
 * Two instances of a service, each with its own connection pool and its own {@link RateLimits}
 * over the same PostgreSQL database, draw on one budget per key.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedRateLimitTests {

    private static final Duration HOUR = Duration.ofHours(1);

    @Autowired
    DataSource dataSource;

    @Autowired
    RateLimits contextRateLimits;

    @Autowired
    JdbcClient jdbc;

    private HikariDataSource poolA;
    private HikariDataSource poolB;
    private RateLimits instanceA;
    private RateLimits instanceB;

    @BeforeAll
    void twoInstances() {
        RateLimitStoreProperties properties = new RateLimitStoreProperties(Duration.ofSeconds(10), Duration.ofMinutes(1));
        poolA = poolLike(dataSource);
        poolB = poolLike(dataSource);
        instanceA = new RateLimits(poolA, properties);
        instanceB = new RateLimits(poolB, properties);
    }

    @AfterAll
    void closePools() {
        poolA.close();
        poolB.close();
    }

    @Test
    void aBurstThroughTwoInstancesTogetherAllowsTheBudgetOnceThen429WithRetryAfter() {
        String name = "burst-" + UUID.randomUUID();
        RateLimit onA = instanceA.limit(name, 5, 5, HOUR, "Too many");
        RateLimit onB = instanceB.limit(name, 5, 5, HOUR, "Too many");

        for (int i = 0; i < 5; i++) {
            (i % 2 == 0 ? onA : onB).acquire("player-1");
        }

        for (RateLimit instance : List.of(onA, onB)) {
            assertThatThrownBy(() -> instance.acquire("player-1")).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
                assertThat(e.type()).isEqualTo("rate-limited");
                assertThat(Long.parseLong(e.headers().get("Retry-After")))
                        .as("one token of 5 an hour comes back in 12 minutes").isBetween(700L, 720L);
                assertThat(e.getMessage()).startsWith("Too many; retry after ");
            });
        }
        onB.acquire("player-2");
        assertThat(rows(name)).as("one row per key, whichever instance wrote it").isEqualTo(2);
    }

    @Test
    void manyThreadsThroughBothInstancesNeverGetMoreThanTheBudget() throws Exception {
        String name = "race-" + UUID.randomUUID();
        int budget = 20;
        RateLimit onA = instanceA.limit(name, budget, budget, HOUR, "Too many");
        RateLimit onB = instanceB.limit(name, budget, budget, HOUR, "Too many");
        int threads = 16;
        int attemptsEach = 10;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> consumed = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                RateLimit instance = t % 2 == 0 ? onA : onB;
                consumed.add(pool.submit(() -> {
                    start.await();
                    int taken = 0;
                    for (int i = 0; i < attemptsEach; i++) {
                        if (instance.tryAcquire("hot-player").isConsumed()) {
                            taken++;
                        }
                    }
                    return taken;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : consumed) {
                total += f.get();
            }
            assertThat(total).as("%d attempts on one key through two instances", threads * attemptsEach)
                    .isEqualTo(budget);
        }
    }

    @Test
    void theRowsOfIdleBucketsAreRemovedAndBusyOnesKept() {
        String name = "idle-" + UUID.randomUUID();
        // The context's instance: keep-after-refill 0 s and cleanup every 500 ms (test yaml).
        RateLimit quick = contextRateLimits.limit(name, 2, 2, Duration.ofMillis(300), "Too many");
        RateLimit slow = contextRateLimits.limit(name, 2, 2, HOUR, "Too many");
        quick.acquire("idle-player");
        slow.acquire("busy-player");
        assertThat(rows(name)).isEqualTo(2);

        await().atMost(Duration.ofSeconds(10)).until(() -> rows(name) == 1);
        assertThat(jdbc.sql("SELECT id FROM rate_limit_bucket WHERE id LIKE :prefix").param("prefix", name + ":%")
                .query(String.class).single()).endsWith(":busy-player");
    }

    @Test
    void aLeftoverEmptyRowIsRemovedOnceItsDefaultExpiryPasses() {
        String name = "stranded-" + UUID.randomUUID();
        // What Bucket4j's first transaction leaves when its instance dies before the second one.
        jdbc.sql("INSERT INTO rate_limit_bucket (id, state) VALUES (:id, null)").param("id", name + ":x").update();
        jdbc.sql("UPDATE rate_limit_bucket SET expires_at = expires_at - 60000 WHERE id = :id").param("id", name + ":x")
                .update();
        contextRateLimits.removeExpired();
        assertThat(rows(name)).isZero();
    }

    private int rows(String name) {
        return jdbc.sql("SELECT count(*) FROM rate_limit_bucket WHERE id LIKE :prefix").param("prefix", name + ":%")
                .query(Integer.class).single();
    }

    private static HikariDataSource poolLike(DataSource dataSource) {
        try {
            HikariDataSource context = dataSource.unwrap(HikariDataSource.class);
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl(context.getJdbcUrl());
            pool.setUsername(context.getUsername());
            pool.setPassword(context.getPassword());
            pool.setMaximumPoolSize(8);
            return pool;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
