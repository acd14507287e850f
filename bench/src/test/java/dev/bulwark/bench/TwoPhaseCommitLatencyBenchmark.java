package dev.bulwark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import com.zaxxer.hikari.HikariDataSource;

import dev.bulwark.platform.twophase.TwoPhaseCommit;
import dev.bulwark.platform.twophase.TwoPhaseCommit.Work;
import dev.bulwark.testsupport.TestInfrastructure;

/**
 * The price of two-phase commit: a transfer (debit one account, credit another, a leg row for
 * each) as one local transaction on one database, against the same transfer as a global
 * transaction of the platform's {@link TwoPhaseCommit} over two databases (prepare both, commit
 * the decision row in a third, commit both), all on the tests' embedded PostgreSQL, with
 * recovery running every second as in production. Results go to stdout and
 * target/twophase-results.md.
 */
class TwoPhaseCommitLatencyBenchmark {

    private static final int WARM_UP = Integer.getInteger("bench.warmUp", 200);
    private static final int SAMPLES = Integer.getInteger("bench.samples", 500);
    private static final int THREADS = Integer.getInteger("bench.threads", 4);
    private static final int ACCOUNTS = 64;

    private record Row(String what, long[] nanos, double perSecond) {
    }

    @Test
    void twoPhaseTransfersAgainstLocalTransfers() throws Exception {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        try (HikariDataSource coordinator = pool(infrastructure, "twophase_bench_coordinator");
                HikariDataSource a = pool(infrastructure, "twophase_bench_a");
                HikariDataSource b = pool(infrastructure, "twophase_bench_b");
                HikariDataSource local = pool(infrastructure, "twophase_bench_local")) {
            Flyway.configure().dataSource(coordinator).locations("classpath:db/platform").load().migrate();
            for (HikariDataSource shard : List.of(a, b, local)) {
                JdbcClient jdbc = JdbcClient.create(shard);
                jdbc.sql("DROP TABLE IF EXISTS account, transfer_leg").update();
                jdbc.sql("CREATE TABLE account (id int PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0))").update();
                jdbc.sql("CREATE TABLE transfer_leg (transfer_id uuid, account int, delta bigint, PRIMARY KEY (transfer_id, account))").update();
                jdbc.sql("INSERT INTO account SELECT g, 1000000000 FROM generate_series(1, :n) g").param("n", ACCOUNTS).update();
            }
            JdbcClient.create(coordinator).sql("DELETE FROM twophase_decision WHERE coordinator = 'bench'").update();
            TwoPhaseCommit twoPhase = TwoPhaseCommit.builder("bench", coordinator).participant("a", a).participant("b", b).build();

            Transfer localTransfer = (id, from, to) -> {
                try (Connection c = local.getConnection()) {
                    c.setAutoCommit(false);
                    JdbcClient jdbc = JdbcClient.create(new SingleConnectionDataSource(c, true));
                    leg(jdbc, id, from, -1);
                    leg(jdbc, id, to, 1);
                    c.commit();
                }
            };
            Transfer globalTransfer = (id, from, to) -> twoPhase.execute(List.of(
                    new Work("a", jdbc -> leg(jdbc, id, from, -1)), new Work("b", jdbc -> leg(jdbc, id, to, 1))));

            List<Row> rows = new ArrayList<>();
            try (AutoCloseable recovery = twoPhase.recovery(Duration.ofSeconds(30)).schedule(Duration.ofSeconds(1))) {
                alternate(localTransfer, globalTransfer, WARM_UP);
                rows.addAll(alternate(localTransfer, globalTransfer, SAMPLES));
                rows.add(parallel("one database, " + THREADS + " threads on distinct accounts", localTransfer));
                rows.add(parallel("two-phase commit over two databases, " + THREADS + " threads on distinct accounts",
                        globalTransfer));
            }
            report(rows);
        }
    }

    private interface Transfer {
        void run(UUID id, int from, int to) throws SQLException;
    }

    private static void leg(JdbcClient jdbc, UUID id, int account, long delta) {
        jdbc.sql("UPDATE account SET balance = balance + :delta WHERE id = :id").param("delta", delta).param("id", account).update();
        jdbc.sql("INSERT INTO transfer_leg VALUES (:transfer, :account, :delta)")
                .param("transfer", id).param("account", account).param("delta", delta).update();
    }

    private static HikariDataSource pool(TestInfrastructure infrastructure, String database) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(infrastructure.database(database));
        pool.setUsername(infrastructure.username());
        pool.setPassword(infrastructure.password());
        pool.setMaximumPoolSize(10);
        return pool;
    }

    /** One thread, local and two-phase transfers taking turns, so that both meet the same machine load. */
    private static List<Row> alternate(Transfer local, Transfer global, int times) throws SQLException {
        long[] localNanos = new long[times];
        long[] globalNanos = new long[times];
        long localTotal = 0;
        long globalTotal = 0;
        for (int i = 0; i < times; i++) {
            int from = 1 + i % ACCOUNTS;
            int to = 1 + (i + 1) % ACCOUNTS;
            long t0 = System.nanoTime();
            local.run(UUID.randomUUID(), from, to);
            long t1 = System.nanoTime();
            global.run(UUID.randomUUID(), from, to);
            long t2 = System.nanoTime();
            localNanos[i] = t1 - t0;
            globalNanos[i] = t2 - t1;
            localTotal += localNanos[i];
            globalTotal += globalNanos[i];
        }
        return List.of(new Row("one database, local transaction, 1 thread", localNanos, times / (localTotal / 1e9)),
                new Row("two-phase commit over two databases, 1 thread", globalNanos, times / (globalTotal / 1e9)));
    }

    private static Row parallel(String what, Transfer transfer) throws Exception {
        int perThread = ACCOUNTS / THREADS;
        LatencySamples.Timed timed = LatencySamples.parallel(THREADS, SAMPLES / THREADS, (thread, i) -> {
            // accounts of this thread only: the price of the protocol, not of row-lock waits
            int from = 1 + thread * perThread + i % (perThread / 2);
            transfer.run(UUID.randomUUID(), from, from + perThread / 2);
        });
        return new Row(what, timed.nanos(), timed.perSecond());
    }

    private static void report(List<Row> rows) throws IOException {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%d samples per 1-thread row (%d warm-up), %d per %d-thread row; a transfer = 2 updates + 2 inserts%n%n"
                        + "| how | p50 ms | p99 ms | max ms | transfers/s | p50 / local p50 | p99 / local p99 |%n"
                        + "|---|---|---|---|---|---|---|%n", SAMPLES, WARM_UP, SAMPLES / THREADS * THREADS, THREADS));
        long[] baseline = null;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            long[] sorted = row.nanos().clone();
            Arrays.sort(sorted);
            if (i % 2 == 0) {
                baseline = sorted; // rows come in pairs: local first, then two-phase
            }
            table.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.0f | %.2f | %.2f |%n", row.what(),
                    LatencySamples.percentile(sorted, 0.50) / 1e6, LatencySamples.percentile(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6,
                    row.perSecond(), (double) LatencySamples.percentile(sorted, 0.50) / LatencySamples.percentile(baseline, 0.50),
                    (double) LatencySamples.percentile(sorted, 0.99) / LatencySamples.percentile(baseline, 0.99)));
        }
        System.out.println(table);
        Path out = Path.of("target/twophase-results.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
    }

}
