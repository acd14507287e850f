package dev.bulwark.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.bulwark.bench.BenchStack.Player;
import dev.bulwark.stack.DevClient;
import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;

/**
 * The operator console's pages on the real stack, signed in as the development operator: each
 * page's full HTML fetched over HTTP (the console renders on the server and runs no script, so
 * this is what a browser waits for before it paints), first on the fresh stack (the baseline),
 * then with 100,000 players loaded by a SQL fixture (generate_series: 100,000 accounts in
 * player-core, 50,000 wallets with their starter ledger event on each economy shard). The ratio
 * says what the players cost each page. Every page's median must stay under one second.
 *
 * <p>The fixture's wallets are not placed by the ring (the pages read counts, sums and the real
 * player's rows, not a fixture player's wallet), and the stack is wiped at the start of the run.
 */
class ConsolePageLoadBenchmark {

    private static final int PLAYERS = Integer.getInteger("bench.players", 100_000);
    private static final int SAMPLES = Integer.getInteger("bench.samples", 30);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Test
    void everyPageLoadsInUnderASecondWithAHundredThousandPlayers() throws Exception {
        try (StackController stack = StackController.builder()
                .console(true)
                .repoRoot(Path.of("..").toAbsolutePath().normalize())
                .stateDirectory(BenchStack.STATE)
                .wipe(true)
                .healthTimeout(Duration.ofMinutes(8))
                .progress(line -> System.out.println("[bench] " + line))
                .build()) {
            stack.start();
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Player player = BenchStack.register(plain, TIMEOUT);
            while (plain.send(HttpRequest.newBuilder(BenchStack.uri(Service.GAME_ECONOMY,
                            "/api/v1/players/" + player.id() + "/wallet")).header("Authorization", "Bearer " + player.token())
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                Thread.sleep(200);
            }
            HttpClient console = signedIn();
            Map<String, String> pages = new LinkedHashMap<>();
            pages.put("players: search 'bulk00' (1,000 match, 50 shown)", "/players?q=bulk00");
            pages.put("players: search 'b' (every fixture player matches)", "/players?q=b");
            pages.put("player page", "/players/" + player.id());
            pages.put("shards", "/shards");
            pages.put("sagas", "/sagas");
            pages.put("status", "/status");
            pages.put("guilds", "/guilds");
            pages.put("operators", "/operators");

            measure(console, pages, 5);
            Map<String, long[]> baseline = measure(console, pages, SAMPLES);
            long loading = System.nanoTime();
            load(stack, player);
            Duration loaded = Duration.ofNanos(System.nanoTime() - loading);
            measure(console, pages, 5);
            Map<String, long[]> loadedRun = measure(console, pages, SAMPLES);
            report(pages, baseline, loadedRun, loaded);
            loadedRun.forEach((page, micros) -> assertThat(LatencySamples.percentile(micros, 0.50))
                    .as("median of %s (µs)", page).isLessThan(1_000_000));
        }
    }

    /** The development operator's console session (cookie), through the sign-in form and its CSRF token. */
    private static HttpClient signedIn() throws Exception {
        HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(2)).build();
        String form = client.send(HttpRequest.newBuilder(console("/sign-in")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = CSRF.matcher(form);
        assertThat(csrf.find()).as("the sign-in form's CSRF token").isTrue();
        String body = "username=" + DevClient.CONSOLE_OPERATOR + "&password="
                + URLEncoder.encode(DevClient.CONSOLE_PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
                + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> signedIn = client.send(HttpRequest.newBuilder(console("/sign-in")).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.uri().getPath()).as("signed in: sent to the players page").isEqualTo("/players");
        return client;
    }

    private static URI console(String path) {
        return URI.create(Service.CONSOLE.baseUrl() + path);
    }

    /** Each page in turn, {@code samples} times: the pages see the same conditions. Microseconds, sorted. */
    private static Map<String, long[]> measure(HttpClient client, Map<String, String> pages, int samples) throws Exception {
        Map<String, long[]> times = new LinkedHashMap<>();
        pages.keySet().forEach(name -> times.put(name, new long[samples]));
        for (int i = 0; i < samples; i++) {
            for (Map.Entry<String, String> page : pages.entrySet()) {
                long started = System.nanoTime();
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(console(page.getValue())).timeout(TIMEOUT)
                        .build(), HttpResponse.BodyHandlers.ofString());
                times.get(page.getKey())[i] = (System.nanoTime() - started) / 1000;
                assertThat(answer.statusCode()).as(page.getValue()).isEqualTo(200);
                assertThat(answer.body()).as("%s renders in full, signed in", page.getValue()).contains("</html>")
                        .doesNotContain("id=\"password\"");
            }
        }
        times.values().forEach(Arrays::sort);
        return times;
    }

    /** The fixture: accounts copied from the real player's row, and wallets with a starter grant per shard. */
    private static void load(StackController stack, Player template) throws Exception {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(Service.PLAYER_CORE.database()),
                StackController.DB_USER, StackController.DB_PASSWORD); Statement sql = db.createStatement()) {
            sql.execute("""
                    INSERT INTO player (player_id, username, display_name, display_name_skeleton, password_hash, created_at)
                    SELECT gen_random_uuid(), 'bulk' || lpad(i::text, 6, '0'), 'Bulk player ' || i, 'bulk player ' || i,
                           (SELECT password_hash FROM player WHERE player_id = '%s'), now()
                    FROM generate_series(1, %d) AS i""".formatted(template.id(), PLAYERS));
            sql.execute("ANALYZE player");
        }
        for (String shard : stack.economyShardJdbcUrls()) {
            try (Connection db = DriverManager.getConnection(shard, StackController.DB_USER, StackController.DB_PASSWORD);
                    Statement sql = db.createStatement()) {
                sql.execute("""
                        WITH wallets AS (
                          INSERT INTO wallet (player_id, gold, gem, last_sequence)
                          SELECT gen_random_uuid(), 1000, 10, 1 FROM generate_series(1, %d)
                          RETURNING player_id)
                        INSERT INTO ledger_event (player_id, sequence, event_id, type, payload, occurred_at)
                        SELECT player_id, 1, gen_random_uuid(), 'CurrencyGranted',
                               jsonb_build_object('playerId', player_id, 'amounts', jsonb_build_object('GOLD', 1000, 'GEM', 10),
                                                  'reason', 'STARTER'), now()
                        FROM wallets""".formatted(PLAYERS / stack.economyShardJdbcUrls().size()));
                sql.execute("ANALYZE wallet");
                sql.execute("ANALYZE ledger_event");
            }
        }
    }

    private static void report(Map<String, String> pages, Map<String, long[]> baseline, Map<String, long[]> loaded,
            Duration loading) throws Exception {
        StringBuilder out = new StringBuilder("""

                ## Console pages, fresh stack vs %,d players (ConsolePageLoadBenchmark)
                Fixture loaded in %.1f s; %d samples a page, pages in turn; load average %s.

                | page | baseline p50 / p95 ms | %,d players p50 / p95 / max ms | p50 ratio |
                |---|---|---|---|
                """.formatted(PLAYERS, loading.toMillis() / 1000.0, SAMPLES, loadAverage(), PLAYERS));
        for (String page : pages.keySet()) {
            long[] before = baseline.get(page);
            long[] after = loaded.get(page);
            out.append("| %s | %.1f / %.1f | %.1f / %.1f / %.1f | %.2f× |%n".formatted(page,
                    LatencySamples.percentile(before, 0.50) / 1000.0, LatencySamples.percentile(before, 0.95) / 1000.0,
                    LatencySamples.percentile(after, 0.50) / 1000.0, LatencySamples.percentile(after, 0.95) / 1000.0,
                    LatencySamples.percentile(after, 1.0) / 1000.0,
                    (double) LatencySamples.percentile(after, 0.50) / Math.max(1, LatencySamples.percentile(before, 0.50))));
        }
        System.out.println(out);
        Files.writeString(Path.of("target/benchmark-results.md"), out, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception unknown) {
            return "unknown";
        }
    }
}
