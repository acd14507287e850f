package dev.bulwark.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.bulwark.stack.DevClient;
import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;
import dev.bulwark.testsupport.checker.AckChecker;
import dev.bulwark.testsupport.checker.Attempt;
import dev.bulwark.testsupport.checker.CheckReport;
import dev.bulwark.testsupport.checker.EconomyAdminApi;
import dev.bulwark.testsupport.checker.EconomyIdempotencyRecords;
import dev.bulwark.testsupport.checker.History;
import dev.bulwark.testsupport.checker.Ledgers;
import dev.bulwark.testsupport.checker.Operation;
import dev.bulwark.testsupport.checker.Outcome;

/**
 * The economy's links to its databases (both shards) cut in the middle of a purchase storm, then healed: the
 * clients retry every unanswered purchase with its Idempotency-Key, as a real client would, and
 * the checker of acknowledged operations finds every acknowledged purchase in the ledger exactly
 * once, nothing refused applied, no money drifted. While the link is down the clients get clean
 * answers (5xx problem+json) or their own timeouts, never a hang past the timeout.
 */
class EconomyDatabaseCutSystemTests {

    private static final int PLAYERS = 12;
    private static final int CLIENTS = 8;
    private static final Duration CUT_AT = Duration.ofSeconds(6);
    private static final Duration HEAL_AT = Duration.ofSeconds(14);
    private static final Duration STORM = Duration.ofSeconds(20);
    private static final int THINK_MILLIS = 400;
    /** A client's patience per attempt; the bound on how long any attempt may wait. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration GIVE_UP = Duration.ofSeconds(90);
    private static final String ECONOMY = Service.GAME_ECONOMY.baseUrl().toString();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void healTheLinks() throws Exception {
        SystemStack.healAllLinks();
    }

    @Test
    void cuttingTheEconomysDatabaseMidStormLosesAndDoublesNoAcknowledgedPurchase() throws Exception {
        StackController stack = SystemStack.get();
        // Each service holds database connections and Kafka connections open: through its links, not around them.
        assertThat(stack.links()).filteredOn(link -> link.name().endsWith("-postgres") || link.name().endsWith("-kafka"))
                .hasSize(6).allMatch(link -> link.openConnections() > 0);
        String admin = SystemStack.clientToken(DevClient.OPERATOR.clientId(), DevClient.OPERATOR.secret());
        Map<UUID, String> players = new LinkedHashMap<>();
        for (int i = 0; i < PLAYERS; i++) {
            SystemStack.Registered registered = SystemStack.register("cut-" + i + "-" + SystemStack.shortId());
            players.put(registered.id(), registered.token());
        }
        EconomyAdminApi ledgers = new EconomyAdminApi(Service.GAME_ECONOMY.baseUrl(), admin);
        Map<UUID, Ledgers.Holdings> baseline = new LinkedHashMap<>();
        for (UUID player : players.keySet()) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                    SystemStack.get(Service.GAME_ECONOMY, "/api/v1/players/" + player + "/wallet", admin)
                            .statusCode() == 200);
            baseline.put(player, ledgers.holdings(player));
        }

        History history = new History();
        List<UUID> ids = List.copyOf(players.keySet());
        Instant started = Instant.now();
        Instant cutAt;
        Instant healedAt;
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    while (Instant.now().isBefore(started.plus(STORM))) {
                        UUID player = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                        purchase(history, player, players.get(player));
                        // Paced so the players' budget outlasts the heal: 12 starter wallets afford about 350
                        // purchases (the gems, then the potions' stack limit), which 8 clients 50-100 ms apart
                        // spent before the cut on a machine at a load average of 5, leaving only refusals after it.
                        Thread.sleep(THINK_MILLIS + ThreadLocalRandom.current().nextInt(THINK_MILLIS / 2));
                    }
                    return null;
                }));
            }
            Thread.sleep(CUT_AT.toMillis());
            // Both of the economy's shard databases: the players are spread over the two.
            stack.link("economy-postgres").cut();
            stack.link("economy-shard1").cut();
            cutAt = Instant.now();
            Thread.sleep(HEAL_AT.minus(CUT_AT).toMillis());
            stack.link("economy-postgres").heal();
            stack.link("economy-shard1").heal();
            healedAt = Instant.now();
            for (Future<?> client : running) {
                client.get();
            }
        }
        Duration stormTook = Duration.between(started, Instant.now());

        CheckReport report = AckChecker.check(history, ledgers, baseline, new EconomyIdempotencyRecords(
                StackController.DB_USER, StackController.DB_PASSWORD, stack.economyShardJdbcUrls().toArray(String[]::new)));
        Map<String, Long> whileCut = new TreeMap<>();
        List<Attempt> attempts = history.operations().stream().flatMap(operation -> operation.attempts().stream())
                .toList();
        for (Attempt attempt : attempts) {
            // Answered while the link was down: begun a second after the cut (requests already past their reads
            // may still answer, as acknowledgements may, see below) and ended before the heal (one waiting for a
            // connection through the cut is answered from the database once it heals).
            if (attempt.outcome() != Outcome.ACKNOWLEDGED && attempt.start().isAfter(cutAt.plusSeconds(1))
                    && attempt.end().isBefore(healedAt)) {
                whileCut.merge(attempt.detail(), 1L, Long::sum);
            }
        }
        String text = report.markdown() + String.format("%n### While the link was cut (%d ms)%n%n%s%n",
                Duration.between(cutAt, healedAt).toMillis(), whileCut.entrySet().stream()
                        .map(e -> "- " + e.getKey() + ": " + e.getValue() + " attempts").reduce("", (a, b) -> a + b + "\n"));
        Path reportFile = SystemStack.STATE.resolveSibling("fault-reports").resolve("economy-database-cut.md");
        Files.createDirectories(reportFile.getParent());
        Files.writeString(reportFile, "# Economy database cut mid-storm\n\n" + text);
        System.out.printf("[system-test] economy database cut: storm %d ms, report in %s%n%s%n",
                stormTook.toMillis(), reportFile, text);

        assertThat(report.violations()).as("the checker's violations").isEmpty();
        // How many depends on the load: 36 in all on this 2-core machine at a load average of 30.
        assertThat(attempts).as("acknowledged before the cut: the storm was under way")
                .anyMatch(attempt -> attempt.outcome() == Outcome.ACKNOWLEDGED && attempt.end().isBefore(cutAt));
        assertThat(whileCut).as("errors the clients saw while the link was cut").isNotEmpty();
        assertThat(whileCut.keySet()).as("answers while cut: a 5xx problem+json or the client's own timeout")
                .allMatch(detail -> detail.equals("timeout") || detail.matches("HTTP 5\\d\\d problem\\+json.*"));
        assertThat(attempts).as("no attempt waits past the client's timeout")
                .allMatch(attempt -> attempt.took().compareTo(CLIENT_TIMEOUT.plusSeconds(1)) < 0);
        assertThat(attempts).as("acknowledged while the database was unreachable: the cut did not cut")
                .noneMatch(attempt -> attempt.outcome() == Outcome.ACKNOWLEDGED
                        && attempt.start().isAfter(cutAt.plusSeconds(1)) && attempt.end().isBefore(healedAt));
        assertThat(attempts).as("acknowledged after the heal")
                .anyMatch(attempt -> attempt.outcome() == Outcome.ACKNOWLEDGED && attempt.start().isAfter(healedAt));
    }

    /** One purchase, retried with its key until the answer is definite, as a real client would. */
    private void purchase(History history, UUID player, String token) throws Exception {
        boolean potions = ThreadLocalRandom.current().nextInt(10) < 7;
        String offer = potions ? "potion-pack" : "gem-to-gold";
        Map<String, Long> effect = potions ? Map.of("GOLD", -50L, "potion", 5L) : Map.of("GEM", -1L, "GOLD", 100L);
        String key = UUID.randomUUID().toString();
        Operation operation = history.begin("purchase " + offer, key, player, "PurchaseCompleted", "purchaseId",
                effect);
        HttpRequest request = HttpRequest.newBuilder(URI.create(ECONOMY + "/api/v1/players/" + player + "/purchases"))
                .timeout(CLIENT_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"offerId\":\"" + offer + "\",\"quantity\":1}"))
                .build();
        DefiniteAnswers.send(http, request, operation, "purchaseId", GIVE_UP, () -> { });
    }
}
