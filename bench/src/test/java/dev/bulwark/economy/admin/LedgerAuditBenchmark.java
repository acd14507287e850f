package dev.bulwark.economy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.economy.GameEconomyApplication;
import dev.bulwark.testsupport.RealInfrastructureInitializer;

/**
 * The ledger audit's cost against the length of the ledgers: the economy in-process on the tests'
 * embedded PostgreSQL, {@code bench.audit.players} players with {@code bench.audit.history}
 * events each, then ten times that; at both sizes the same number of new events
 * ({@code bench.audit.new} on each of half the players) lands before each incremental audit,
 * timed over {@code bench.audit.rounds} rounds (median). The incremental audit must stay within
 * 2× while the history grows 10×; a full audit (what every run cost before: every ledger from
 * its first event) is timed beside it as the baseline. Histories are written with SQL (grants of
 * 1 GOLD, wallet rows to match), which the audit cannot tell from the service's own writes.
 * It lives in the economy's admin package to call the package-private audit. Results go to stdout
 * and target/audit-results.md.
 */
class LedgerAuditBenchmark {

    private static final int PLAYERS = Integer.getInteger("bench.audit.players", 200);
    private static final int HISTORY = Integer.getInteger("bench.audit.history", 100);
    private static final int NEW = Integer.getInteger("bench.audit.new", 4);
    private static final int ROUNDS = Integer.getInteger("bench.audit.rounds", 7);

    private record Row(String what, long events, double incrementalMillis, double fullMillis) {
    }

    @Test
    void anIncrementalAuditCostsTheNewEventsNotTheHistory() throws IOException {
        try (ConfigurableApplicationContext economy = new SpringApplicationBuilder(GameEconomyApplication.class)
                .initializers(new RealInfrastructureInitializer())
                // Arguments, not default properties: the service's application.yaml would win over those.
                .run("--bulwark.test.database=audit_bench", "--server.port=0",
                        "--bulwark.economy.audit.initial-delay=1h", "--bulwark.economy.audit.interval=1h")) {
            JdbcClient jdbc = economy.getBean(JdbcClient.class);
            LedgerAudit audit = economy.getBean(LedgerAudit.class);
            jdbc.sql("""
                    INSERT INTO ledger_event (player_id, sequence, event_id, type, payload, occurred_at)
                    SELECT id, 1, gen_random_uuid(), 'WalletOpened', jsonb_build_object('playerId', id), now()
                    FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, :players)) p""")
                    .param("players", PLAYERS).update();
            jdbc.sql("INSERT INTO wallet (player_id, gold, gem, last_sequence) SELECT player_id, 0, 0, 1 FROM ledger_event")
                    .update();
            grow(jdbc, HISTORY - 1, PLAYERS);

            List<Row> rows = new ArrayList<>();
            rows.add(measure("history " + HISTORY + " events a player", jdbc, audit));
            grow(jdbc, 9 * HISTORY, PLAYERS);
            audit.runIfFree(false).orElseThrow();
            rows.add(measure("history " + 10 * HISTORY + " events a player (10×)", jdbc, audit));

            double ratio = rows.get(1).incrementalMillis() / rows.get(0).incrementalMillis();
            report(rows, ratio);
            assertThat(ratio).as("incremental audit, 10× the history, same new events").isLessThan(2.0);
        }
    }

    /** Full audit once, then the median incremental audit after the same new events each round. */
    private static Row measure(String what, JdbcClient jdbc, LedgerAudit audit) {
        long events = jdbc.sql("SELECT count(*) FROM ledger_event").query(Long.class).single();
        double full = millis(() -> check(audit.runIfFree(true).orElseThrow(), events));
        double[] incremental = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            grow(jdbc, NEW, PLAYERS / 2);
            incremental[round] = millis(() -> check(audit.runIfFree(false).orElseThrow(), (long) NEW * (PLAYERS / 2)));
        }
        Arrays.sort(incremental);
        return new Row(what, events, incremental[ROUNDS / 2], full);
    }

    private static LedgerAudit.Report check(LedgerAudit.Report report, long events) {
        assertThat(report.drift()).isZero();
        assertThat(report.events()).isEqualTo(events);
        return report;
    }

    /** Appends {@code count} grants of 1 GOLD to the ledgers of the first {@code players} players, wallets to match. */
    private static void grow(JdbcClient jdbc, int count, int players) {
        jdbc.sql("""
                WITH growing AS (SELECT player_id, last_sequence FROM wallet ORDER BY player_id LIMIT :players),
                appended AS (
                  INSERT INTO ledger_event (player_id, sequence, event_id, type, payload, occurred_at)
                  SELECT g.player_id, g.last_sequence + s, gen_random_uuid(), 'CurrencyGranted',
                         jsonb_build_object('playerId', g.player_id, 'amounts', jsonb_build_object('GOLD', 1),
                                            'reason', 'BENCH'),
                         now()
                  FROM growing g, generate_series(1, :count) s)
                UPDATE wallet w SET gold = w.gold + :count, last_sequence = w.last_sequence + :count
                FROM growing g WHERE g.player_id = w.player_id""")
                .param("players", players).param("count", count).update();
    }

    private static double millis(Supplier<?> run) {
        long started = System.nanoTime();
        run.get();
        return (System.nanoTime() - started) / 1e6;
    }

    private static void report(List<Row> rows, double ratio) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nLedger audit: %d players, %d new events before each incremental audit (%d rounds, median)%n",
                PLAYERS, NEW * (PLAYERS / 2), ROUNDS));
        out.append("| ledgers | events | incremental audit (ms) | full audit from the first event (ms) |\n|---|---:|---:|---:|\n");
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f |%n", row.what(), row.events(),
                    row.incrementalMillis(), row.fullMillis()));
        }
        out.append(String.format(Locale.ROOT, "%nincremental 10×/1×: %.2f (must stay under 2); full 10×/1×: %.2f%n", ratio,
                rows.get(1).fullMillis() / rows.get(0).fullMillis()));
        System.out.print(out);
        Files.writeString(Path.of("target", "audit-results.md"), out);
    }
}
