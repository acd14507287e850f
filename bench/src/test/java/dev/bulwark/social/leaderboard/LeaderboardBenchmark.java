package dev.bulwark.social.leaderboard;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import com.zaxxer.hikari.HikariDataSource;

import dev.bulwark.social.leaderboard.LeaderboardRules.Operator;
import dev.bulwark.social.leaderboard.LeaderboardRules.SortOrder;
import dev.bulwark.testsupport.TestInfrastructure;

/**
 * Social's leaderboard store (the class the service runs, in-process, without HTTP) on the tests'
 * embedded PostgreSQL with 1,000,000 records on one board: score writes per second from 16
 * threads, and the p99 of top-100 pages and around-me reads; then pgbench's TPC-B on the same
 * server in the same run. It lives in social's package to call the package-private store.
 * Results go to stdout and target/leaderboard-results.md.
 */
class LeaderboardBenchmark {

    private static final int RECORDS = Integer.getInteger("bench.records", 1_000_000);
    private static final int THREADS = Integer.getInteger("bench.threads", 16);
    private static final int READERS = Integer.getInteger("bench.readers", 4);
    private static final Duration WRITE_TIME = Duration.ofSeconds(Long.getLong("bench.seconds", 20));
    private static final int READS = Integer.getInteger("bench.reads", 2_000);
    private static final int PGBENCH_SCALE = Integer.getInteger("bench.pgbenchScale", 10);
    private static final String BOARD = "bench-1m";

    private record Latencies(String what, long[] nanos, double perSecond) {

        Latencies named(String name) {
            return new Latencies(name, nanos, perSecond);
        }

        double percentileMs(double p) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
        }
    }

    @Test
    void writesAndRankedReadsOnAMillionRecordsBesidePgbench() throws Exception {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        String url = infrastructure.database("leaderboard_bench");
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(url);
            pool.setUsername(infrastructure.username());
            pool.setPassword(infrastructure.password());
            pool.setMaximumPoolSize(THREADS + 2);
            // social's own migrations: the bench's classpath also holds the economy's (LedgerAuditBenchmark)
            String migrations = "filesystem:" + Path.of(Leaderboards.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .resolve("db/migration");
            Flyway.configure().dataSource(pool).locations(migrations).cleanDisabled(false).load().clean();
            Flyway.configure().dataSource(pool).locations(migrations).load().migrate();
            Leaderboards store = new Leaderboards(JdbcClient.create(pool), new DataSourceTransactionManager(pool),
                    Clock.systemUTC());
            store.create(BOARD, SortOrder.DESC, Operator.BEST, null, "bench");
            UUID[] players = load(pool);

            List<Latencies> rows = new ArrayList<>();
            Latencies writes = timed("score write (BEST, random player and score, new key each)", THREADS, WRITE_TIME,
                    i -> () -> store.write("gs-bench", BOARD, UUID.randomUUID().toString(), random(players),
                            ThreadLocalRandom.current().nextLong(100_000_000)));
            rows.add(writes);
            counted(READERS, 200, i -> () -> store.page(BOARD, null, null, 100, null)); // warm-up
            rows.add(counted(READERS, READS, i -> () -> store.page(BOARD, null, null, 100, null))
                    .named("top 100 (first page)"));
            rows.add(counted(READERS, READS, i -> () -> store.around(BOARD, random(players), null, 11))
                    .named("around me (11 records, random player)"));
            rows.add(counted(READERS, READS, i -> () -> store.around(BOARD, players[RECORDS - 1 - ThreadLocalRandom.current()
                    .nextInt(1000)], null, 11)).named("around me, players loaded last (any rank)"));
            double tps = pgbench(url, infrastructure);
            report(rows, writes, tps);
        }
    }

    private static UUID random(UUID[] players) {
        return players[ThreadLocalRandom.current().nextInt(players.length)];
    }

    /** COPY of RECORDS players (known, with display names) and their records, their bucket counts, then VACUUM ANALYZE. */
    private static UUID[] load(HikariDataSource pool) throws Exception {
        long started = System.nanoTime();
        UUID[] players = new UUID[RECORDS];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int chunk = 100_000;
        try (Connection connection = pool.getConnection()) {
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            for (int from = 0; from < RECORDS; from += chunk) {
                StringBuilder known = new StringBuilder();
                StringBuilder records = new StringBuilder();
                for (int i = from; i < Math.min(RECORDS, from + chunk); i++) {
                    players[i] = UUID.randomUUID();
                    long score = random.nextLong(100_000_000);
                    known.append(players[i]).append("\tP").append(i).append("\t2026-12-01 00:00:00+00\n");
                    records.append(BOARD).append("\t0\t").append(players[i]).append('\t').append(score).append('\t')
                            .append(-score).append("\t2026-12-01 00:00:00.").append(String.format(Locale.ROOT, "%06d", i % 1_000_000))
                            .append("+00\n");
                }
                copy.copyIn("COPY known_player (player_id, display_name, known_since) FROM STDIN",
                        new StringReader(known.toString()));
                copy.copyIn("COPY leaderboard_record (leaderboard_id, period_end, player_id, score, sort_key, updated_at) "
                        + "FROM STDIN", new StringReader(records.toString()));
            }
            // The loaded records counted into their score buckets, as V7 counts existing records.
            connection.createStatement().execute("""
                    INSERT INTO leaderboard_bucket (leaderboard_id, period_end, bucket, records)
                    SELECT leaderboard_id, period_end, leaderboard_bucket_of(sort_key), count(*) FROM leaderboard_record GROUP BY 1, 2, 3""");
            connection.createStatement().execute("VACUUM ANALYZE leaderboard_bucket");
            connection.createStatement().execute("VACUUM ANALYZE known_player");
            connection.createStatement().execute("VACUUM ANALYZE leaderboard_record");
        }
        System.out.printf(Locale.ROOT, "[bench] %,d records loaded with COPY and vacuumed in %.1f s%n", RECORDS,
                (System.nanoTime() - started) / 1e9);
        return players;
    }

    /** Threads calling for a fixed time. */
    private static Latencies timed(String what, int threads, Duration duration, IntFunction<Runnable> call) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        return run(what, threads, i -> System.nanoTime() < deadline, call);
    }

    /** Threads making {@code total} calls between them. */
    private static Latencies counted(int threads, int total, IntFunction<Runnable> call) throws Exception {
        return run("", threads, i -> i < total / threads, call);
    }

    private interface Until {
        boolean more(int index);
    }

    private static Latencies run(String what, int threads, Until until, IntFunction<Runnable> call) throws Exception {
        long started = System.nanoTime();
        List<Future<long[]>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    long[] nanos = new long[1024];
                    int n = 0;
                    while (until.more(n)) {
                        Runnable r = call.apply(n);
                        long t0 = System.nanoTime();
                        r.run();
                        if (n == nanos.length) {
                            nanos = Arrays.copyOf(nanos, n * 2);
                        }
                        nanos[n++] = System.nanoTime() - t0;
                    }
                    return Arrays.copyOf(nanos, n);
                }));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] all = new long[0];
        for (Future<long[]> result : results) {
            long[] some = result.get();
            int at = all.length;
            all = Arrays.copyOf(all, at + some.length);
            System.arraycopy(some, 0, all, at, some.length);
        }
        return new Latencies(what, all, all.length / seconds);
    }

    private static double pgbench(String url, TestInfrastructure infrastructure) throws Exception {
        // PGBENCH, else pgbench on the PATH (`apt-get install -y postgresql-client` provides it)
        String pgbench = System.getenv().getOrDefault("PGBENCH", "pgbench");
        Matcher hostPort = Pattern.compile("//([^:/]+):(\\d+)/").matcher(url);
        if (!hostPort.find()) {
            throw new IllegalStateException("no host:port in " + url);
        }
        String scratch = infrastructure.database("pgbench_leaderboard").replaceAll(".*/([^/?]+).*", "$1");
        List<String> connect = List.of("-h", hostPort.group(1), "-p", hostPort.group(2), "-U", infrastructure.username());
        exec(concat(List.of(pgbench, "-i", "-q", "-s", String.valueOf(PGBENCH_SCALE)), connect, List.of(scratch)));
        String output = exec(concat(List.of(pgbench, "-c", String.valueOf(THREADS), "-j", "2", "-T",
                String.valueOf(WRITE_TIME.toSeconds()), "-M", "prepared"), connect, List.of(scratch)));
        Matcher tps = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("no tps in pgbench's output:\n" + output);
        }
        System.out.println("[bench] pgbench:\n" + output);
        return Double.parseDouble(tps.group(1));
    }

    private static String exec(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", TestInfrastructure.get().password());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return Arrays.stream(parts).flatMap(List::stream).toList();
    }

    private static void report(List<Latencies> rows, Latencies writes, double pgbenchTps) throws Exception {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%,d records on one board; %d writer threads for %d s; reads: %d calls from %d threads; "
                        + "%d cores, load average at the end %s%n%n| what | calls | per second | p50 ms | p99 ms | max ms |%n"
                        + "|---|---|---|---|---|---|%n", RECORDS, THREADS, WRITE_TIME.toSeconds(), READS, READERS,
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim()));
        for (Latencies row : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %.2f |%n", row.what(), row.nanos().length,
                    row.perSecond(), row.percentileMs(0.50), row.percentileMs(0.99), row.percentileMs(1.0)));
        }
        out.append(String.format(Locale.ROOT, "| pgbench TPC-B (-s %d -c %d -j 2 -M prepared, %d s) | | %.0f | | | |%n",
                PGBENCH_SCALE, THREADS, WRITE_TIME.toSeconds(), pgbenchTps));
        out.append(String.format(Locale.ROOT, "%nscore writes ÷ pgbench tps = %.3f (goal ≥ 0.25)%n",
                writes.perSecond() / pgbenchTps));
        System.out.println("[bench] results\n" + out);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/leaderboard-results.md"), out.toString());
    }
}
