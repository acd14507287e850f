package dev.bulwark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import dev.bulwark.platform.ratelimit.RateLimit;
import dev.bulwark.platform.ratelimit.RateLimitStoreProperties;
import dev.bulwark.platform.ratelimit.RateLimits;
import dev.bulwark.testsupport.TestInfrastructure;
import io.github.bucket4j.Bucket;

/**
 * What a limited write pays for its token: Bucket4j in memory (the per-instance limiter it
 * replaced) against the platform's buckets in PostgreSQL (shared by every instance), on the
 * tests' embedded PostgreSQL over a local socket. Results go to stdout and
 * target/rate-limit-results.md.
 */
class RateLimitLatencyBenchmark {

    private static final int KEYS = 1_000;
    private static final int WARM_UP = Integer.getInteger("bench.warmUp", 3_000);
    private static final int SAMPLES = Integer.getInteger("bench.samples", 5_000);
    private static final int THREADS = Integer.getInteger("bench.threads", 8);
    /** Never refuses during the run, so every sample is a consumption; a refusal costs the same round trips. */
    private static final long BUDGET = 1_000_000_000L;

    private record Row(String what, long[] nanos, double perSecond) {
    }

    @Test
    void sharedBucketsAgainstInMemoryBuckets() throws Exception {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(infrastructure.database("rate_limit_bench"));
            pool.setUsername(infrastructure.username());
            pool.setPassword(infrastructure.password());
            pool.setMaximumPoolSize(10);
            Flyway.configure().dataSource(pool).locations("classpath:db/platform").load().migrate();
            RateLimits rateLimits = new RateLimits(pool, new RateLimitStoreProperties(Duration.ofSeconds(10), Duration.ofMinutes(1)));
            RateLimit shared = rateLimits.limit("bench", BUDGET, BUDGET, Duration.ofSeconds(1), "Too many");
            Bucket[] local = new Bucket[KEYS];
            for (int i = 0; i < KEYS; i++) {
                local[i] = Bucket.builder().addLimit(l -> l.capacity(BUDGET).refillGreedy(BUDGET, Duration.ofSeconds(1))).build();
            }

            List<Row> rows = new ArrayList<>();
            single(i -> () -> local[i % KEYS].tryConsumeAndReturnRemaining(1), WARM_UP);
            rows.add(single("in memory (Bucket4j, per instance), 1 thread", i -> () -> local[i % KEYS].tryConsumeAndReturnRemaining(1)));
            single(i -> () -> shared.tryAcquire("warm-" + (i % KEYS)), WARM_UP);
            rows.add(single("PostgreSQL, a player's first write (new row), 1 thread",
                    i -> () -> shared.tryAcquire("new-" + i)));
            rows.add(single("PostgreSQL, existing bucket, 1 thread", i -> () -> shared.tryAcquire("warm-" + (i % KEYS))));
            rows.add(parallel("PostgreSQL, existing buckets, " + THREADS + " threads on distinct keys",
                    (t, i) -> shared.tryAcquire("warm-" + ((t * 97 + i) % KEYS))));
            rows.add(parallel("PostgreSQL, one hot bucket, " + THREADS + " threads",
                    (t, i) -> shared.tryAcquire("hot")));
            report(rows);
        }
    }

    private interface Call {
        void run(int thread, int index);
    }

    private static void single(IntFunction<Runnable> call, int times) {
        for (int i = 0; i < times; i++) {
            call.apply(i).run();
        }
    }

    private static Row single(String what, IntFunction<Runnable> call) {
        long[] nanos = new long[SAMPLES];
        long start = System.nanoTime();
        for (int i = 0; i < SAMPLES; i++) {
            Runnable r = call.apply(i);
            long t0 = System.nanoTime();
            r.run();
            nanos[i] = System.nanoTime() - t0;
        }
        return new Row(what, nanos, SAMPLES / ((System.nanoTime() - start) / 1e9));
    }

    private static Row parallel(String what, Call call) throws Exception {
        LatencySamples.Timed timed = LatencySamples.parallel(THREADS, SAMPLES / THREADS, call::run);
        return new Row(what, timed.nanos(), timed.perSecond());
    }

    private static void report(List<Row> rows) throws IOException {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%d samples per row (%d warm-up); one tryConsume each%n%n"
                        + "| how | p50 µs | p99 µs | max µs | calls/s |%n|---|---|---|---|---|%n", SAMPLES, WARM_UP));
        for (Row row : rows) {
            long[] sorted = row.nanos().clone();
            Arrays.sort(sorted);
            table.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.0f |%n", row.what(),
                    LatencySamples.percentile(sorted, 0.50) / 1e3, LatencySamples.percentile(sorted, 0.99) / 1e3, sorted[sorted.length - 1] / 1e3,
                    row.perSecond()));
        }
        System.out.println(table);
        Path out = Path.of("target/rate-limit-results.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
    }

}
