package dev.bulwark.economy.purchase;

import java.io.UncheckedIOException;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.economy.EconomyClient;
import dev.bulwark.economy.EconomyClient.Answer;
import dev.bulwark.economy.wallet.TestPlayers;
import dev.bulwark.events.Contracts;
import dev.bulwark.events.Topics;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;
import dev.bulwark.testsupport.TestKeys;
import tools.jackson.databind.JsonNode;

/** Purchases over HTTP: idempotency under retries and concurrency, refusals that change nothing. */
@IntegrationTest
class PurchaseTests {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aLocalPurchasePaysAndGrantsInOneLedgerEvent() {
        UUID player = TestPlayers.open(context);
        EconomyClient client = client(player);

        Answer answer = client.post(purchases(player), key(), Map.of("offerId", "potion-pack", "quantity", 2));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.json().get("status").asString()).isEqualTo("COMPLETED");
        String purchaseId = answer.json().get("purchaseId").asString();
        assertThat(answer.header("Location")).isEqualTo("/api/v1/purchases/" + purchaseId);
        assertThat(gold(client, player)).isEqualTo(900);
        assertThat(client.get("/api/v1/players/" + player + "/inventory").json().get("items").toString())
                .isEqualTo("[{\"itemId\":\"potion\",\"quantity\":10}]");
        JsonNode last = client.get("/api/v1/players/" + player + "/ledger?after=2").json().get("events").get(0);
        assertThat(last.get("type").asString()).isEqualTo("PurchaseCompleted");
        assertThat(last.get("payload").get("purchaseId").asString()).isEqualTo(purchaseId);
        JsonNode purchase = client.get("/api/v1/purchases/" + purchaseId).json();
        assertThat(purchase.get("offerId").asString()).isEqualTo("potion-pack");
        assertThat(purchase.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(purchase.get("price").get("amount").asLong()).isEqualTo(100);
    }

    @Test
    void theEventOfAPurchaseCarriesTheTraceOfItsRequest() {
        UUID player = TestPlayers.open(context);
        String traceId = UUID.randomUUID().toString().replace("-", "");

        Answer answer = client(player).post(purchases(player), key(), Map.of("offerId", "potion-pack", "quantity", 1),
                Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));

        assertThat(answer.status()).isEqualTo(201);
        Map<String, String> traceByType = new LinkedHashMap<>();
        TestInfrastructure.get().awaitRecords(Topics.ECONOMY_EVENTS.name(), player.toString(), 3, Duration.ofSeconds(30))
                .stream().map(Contracts::fromBytes)
                .forEach(event -> traceByType.put(event.type(), event.trace().getOrDefault("traceparent", "")));
        assertThat(traceByType.get("PurchaseCompleted")).startsWith("00-" + traceId + "-");
        assertThat(traceByType.get("WalletOpened")).as("opened outside the request").doesNotContain(traceId);
    }

    @Test
    void aRetryReturnsTheFirstResponseAndTheSameKeyWithAnotherBodyIsRefused() {
        UUID player = TestPlayers.open(context);
        EconomyClient client = client(player);
        String key = key();

        Answer first = client.post(purchases(player), key, Map.of("offerId", "potion-pack", "quantity", 1));
        Answer retry = client.post(purchases(player), key, Map.of("quantity", 1, "offerId", "potion-pack"));
        Answer otherBody = client.post(purchases(player), key, Map.of("offerId", "potion-pack", "quantity", 2));

        assertThat(retry.status()).isEqualTo(first.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(otherBody.status()).isEqualTo(409);
        assertThat(otherBody.problemType()).isEqualTo("idempotency-key-reused");
        assertThat(gold(client, player)).isEqualTo(950);
        assertThat(ledgerSize(player)).isEqualTo(3);
    }

    @Test
    void twentyConcurrentPurchasesWithOneKeyHaveOneEffectAndIdenticalResponses() throws Exception {
        UUID player = TestPlayers.open(context);
        EconomyClient client = client(player);
        String key = key();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return client.post(purchases(player), key, Map.of("offerId", "sword", "quantity", 1));
                }));
            }
            start.countDown();
            Set<String> bodies = new HashSet<>();
            for (Future<Answer> answer : answers) {
                assertThat(answer.get().status()).isEqualTo(201);
                bodies.add(answer.get().body());
            }
            assertThat(bodies).hasSize(1);
        }
        assertThat(gold(client, player)).isEqualTo(700);
        assertThat(ledgerSize(player)).isEqualTo(3);
        assertThat(jdbc.sql("SELECT count(*) FROM purchase WHERE player_id = :p").param("p", player)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void concurrentPurchasesWithDifferentKeysNeverSpendMoreThanTheWalletHolds() throws Exception {
        UUID player = TestPlayers.open(context);
        EconomyClient client = client(player);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return client.post(purchases(player), key(), Map.of("offerId", "gem-to-gold", "quantity", 1));
                }));
            }
            start.countDown();
            int completed = 0;
            for (Future<Answer> answer : answers) {
                if (answer.get().status() == 201) {
                    completed++;
                } else {
                    assertProblem(answer.get(), 409, "insufficient-funds");
                }
            }
            assertThat(completed).as("10 GEM buy exactly 10").isEqualTo(10);
        }
        JsonNode wallet = client.get("/api/v1/players/" + player + "/wallet").json();
        assertThat(wallet.get("balances").get("GEM").asLong()).isZero();
        assertThat(wallet.get("balances").get("GOLD").asLong()).isEqualTo(2000);
        assertThat(wallet.get("version").asLong()).isEqualTo(12);
        assertThat(ledgerSize(player)).isEqualTo(12);
    }

    @Test
    void insufficientFundsIs409AndChangesNothing() {
        UUID player = TestPlayers.open(context);
        EconomyClient client = client(player);
        String walletBefore = client.get("/api/v1/players/" + player + "/wallet").body();
        String key = key();

        Answer refused = client.post(purchases(player), key, Map.of("offerId", "sword", "quantity", 4));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.problemType()).isEqualTo("insufficient-funds");
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(client.get("/api/v1/players/" + player + "/wallet").body()).isEqualTo(walletBefore);
        assertThat(client.get("/api/v1/players/" + player + "/inventory").json().get("items").size()).isZero();
        assertThat(ledgerSize(player)).isEqualTo(2);
        assertThat(jdbc.sql("SELECT count(*) FROM idempotency_record WHERE idempotency_key = :k").param("k", key)
                .query(Long.class).single()).as("a refusal leaves the key free").isZero();
    }

    @Test
    void badRequestsAreProblemsAndChangeNothing() {
        UUID player = TestPlayers.open(context);
        EconomyClient client = client(player);

        assertThat(client.post(purchases(player), key(), Map.of("offerId", "dragon", "quantity", 1)))
                .satisfies(a -> assertProblem(a, 422, "unknown-offer"));
        assertThat(client.post(purchases(player), key(), Map.of("offerId", "potion-pack", "quantity", 0)))
                .satisfies(a -> assertProblem(a, 400, "invalid-request"));
        assertThat(client.post(purchases(player), key(), Map.of("offerId", "potion-pack", "quantity", 1_000_001)))
                .satisfies(a -> assertProblem(a, 400, "invalid-request"));
        assertThat(client.post(purchases(player), key(), Map.of("offerId", "potion-pack", "quantity", -1)))
                .satisfies(a -> assertProblem(a, 400, "invalid-request"));
        assertThat(client.post(purchases(player), key(), Map.of("offerId", "potion-pack", "quantity", Long.MAX_VALUE)))
                .satisfies(a -> assertProblem(a, 400, "invalid-request"));
        assertThat(client.post(purchases(player), key(), "{\"offerId\":\"potion-pack\",\"quantity\":9223372036854775808}"))
                .as("a quantity beyond a long").satisfies(a -> assertProblem(a, 400, "malformed-request"));
        assertThat(client.post(purchases(player), key(), Map.of("offerId", "potion-pack", "quantity", 1, "tip", 5)))
                .satisfies(a -> assertProblem(a, 400, "malformed-request"));
        assertThat(client.post(purchases(player), key(), "{\"offerId\": \"potion-pack\", "))
                .satisfies(a -> assertProblem(a, 400, "malformed-request"));
        assertThat(client.post(purchases(player), null, Map.of("offerId", "potion-pack", "quantity", 1)))
                .satisfies(a -> assertProblem(a, 400, "missing-parameter"));
        assertThat(client.post(purchases(player), "bad key", Map.of("offerId", "potion-pack", "quantity", 1)))
                .satisfies(a -> assertProblem(a, 400, "invalid-idempotency-key"));
        assertThat(client.post(purchases(player), key(), Map.of("offerId", "potion-pack", "quantity", 20)))
                .as("100 potions do not fit a stack of 99")
                .satisfies(a -> assertProblem(a, 409, "max-stack-exceeded"));
        assertThat(client.post(purchases(player), key(), Map.of("offerId", "sword", "quantity", 2)))
                .as("a sword is unique").satisfies(a -> assertProblem(a, 409, "max-stack-exceeded"));
        assertThat(client.post(purchases(player), key(), Map.of("offerId", "name-change", "quantity", 1)))
                .satisfies(a -> assertProblem(a, 400, "missing-parameter"));
        assertThat(client.post(purchases(player), key(),
                Map.of("offerId", "name-change", "quantity", 2, "params", Map.of("displayName", "Nova"))))
                .as("a remote-effect offer is bought one at a time")
                .satisfies(a -> assertProblem(a, 422, "invalid-quantity"));

        assertThat(ledgerSize(player)).isEqualTo(2);
        assertThat(gold(client, player)).isEqualTo(1000);
    }

    @Test
    void theStackLimitHoldsAcrossPurchases() {
        UUID player = TestPlayers.open(context);
        EconomyClient client = client(player);

        assertThat(client.post(purchases(player), key(), Map.of("offerId", "potion-pack", "quantity", 19)).status())
                .isEqualTo(201);
        assertProblem(client.post(purchases(player), key(), Map.of("offerId", "potion-pack", "quantity", 1)), 409,
                "max-stack-exceeded");
        assertThat(client.get("/api/v1/players/" + player + "/inventory").json().get("items").get(0).get("quantity")
                .asLong()).isEqualTo(95);
    }

    /**
     * The client keeps a log of what the server acknowledged. Requests time out on the client
     * (some after the server committed, some before) and are retried with the same key until
     * an answer arrives. The ledger must then hold every acknowledged purchase exactly once and
     * nothing else.
     */
    @Test
    void theLedgerMatchesTheClientLogOfAcknowledgedPurchasesDespiteTimeoutsAndRetries() {
        UUID player = TestPlayers.open(context);
        EconomyClient client = client(player);
        List<String> offers = List.of("potion-pack", "gem-to-gold", "sword", "soulbound-relic");
        Map<String, String> acknowledged = new LinkedHashMap<>();
        int timeouts = 0;
        int refusals = 0;
        for (int op = 0; op < 25; op++) {
            String offer = offers.get(ThreadLocalRandom.current().nextInt(offers.size()));
            Map<String, Object> body = Map.of("offerId", offer, "quantity", 1);
            String key = key();
            Answer answer = null;
            for (int attempt = 0; answer == null; attempt++) {
                Duration timeout = attempt < 3 ? Duration.ofMillis(ThreadLocalRandom.current().nextInt(2, 40))
                        : Duration.ofSeconds(10);
                try {
                    answer = client.post(purchases(player), key, body, timeout);
                } catch (UncheckedIOException e) {
                    assertThat(e.getCause()).isInstanceOf(HttpTimeoutException.class);
                    timeouts++;
                }
            }
            if (answer.status() == 201) {
                acknowledged.put(answer.json().get("purchaseId").asString(), offer);
            } else {
                assertThat(answer.status()).as(answer.body()).isEqualTo(409);
                refusals++;
            }
        }

        Map<String, String> inLedger = new LinkedHashMap<>();
        for (JsonNode event : client.get("/api/v1/players/" + player + "/ledger?limit=500").json().get("events")) {
            if (event.get("type").asString().equals("PurchaseCompleted")) {
                String previous = inLedger.put(event.get("payload").get("purchaseId").asString(),
                        event.get("payload").get("offerId").asString());
                assertThat(previous).as("a purchase appears once").isNull();
            }
        }
        assertThat(inLedger).isEqualTo(acknowledged);
        assertThat(timeouts).as("the client did time out").isPositive();
        assertThat(acknowledged).isNotEmpty();
        assertThat(refusals + acknowledged.size()).isEqualTo(25);
    }

    @Test
    void onlyTheBuyerPurchasesAndOnlyTheBuyerAndAdminsReadThePurchase() {
        UUID player = TestPlayers.open(context);
        TestKeys keys = TestKeys.primary();
        Map<String, Object> body = Map.of("offerId", "potion-pack", "quantity", 1);
        String purchaseId = client(player).post(purchases(player), key(), body).json().get("purchaseId").asString();
        String path = "/api/v1/purchases/" + purchaseId;

        assertThat(new EconomyClient(port, keys.playerToken(UUID.randomUUID())).post(purchases(player), key(), body).status())
                .isEqualTo(403);
        assertThat(new EconomyClient(port, keys.adminToken("ops")).post(purchases(player), key(), body).status())
                .isEqualTo(403);
        assertThat(new EconomyClient(port, keys.gameServerToken("gs-1")).post(purchases(player), key(), body).status())
                .isEqualTo(403);
        assertThat(new EconomyClient(port, null).post(purchases(player), key(), body).status()).isEqualTo(401);

        assertThat(client(player).get(path).status()).isEqualTo(200);
        assertThat(new EconomyClient(port, keys.adminToken("ops")).get(path).status()).isEqualTo(200);
        assertThat(new EconomyClient(port, keys.playerToken(UUID.randomUUID())).get(path).status()).isEqualTo(403);
        assertThat(new EconomyClient(port, keys.gameServerToken("gs-1")).get(path).status()).isEqualTo(403);
        assertThat(client(player).get("/api/v1/purchases/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(ledgerSize(player)).isEqualTo(3);
    }

    private static void assertProblem(Answer answer, int status, String type) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.problemType()).as(answer.body()).isEqualTo(type);
    }

    private long gold(EconomyClient client, UUID player) {
        return client.get("/api/v1/players/" + player + "/wallet").json().get("balances").get("GOLD").asLong();
    }

    private long ledgerSize(UUID player) {
        return jdbc.sql("SELECT count(*) FROM ledger_event WHERE player_id = :p").param("p", player).query(Long.class)
                .single();
    }

    private EconomyClient client(UUID player) {
        return new EconomyClient(port, TestKeys.primary().playerToken(player));
    }

    private static String purchases(UUID player) {
        return "/api/v1/players/" + player + "/purchases";
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
