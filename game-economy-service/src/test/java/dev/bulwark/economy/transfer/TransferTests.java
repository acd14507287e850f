package dev.bulwark.economy.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.economy.EconomyClient;
import dev.bulwark.economy.EconomyClient.Answer;
import dev.bulwark.economy.wallet.TestPlayers;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;

/** Player-to-player transfers: both sides or neither, refusals that change nothing, no deadlock either way round. */
@IntegrationTest
class TransferTests {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    private final TestKeys keys = TestKeys.primary();

    @Test
    void goldAndTradableItemsMoveInOneTransactionWithAnEventOnEachStream() {
        UUID from = TestPlayers.open(context);
        UUID to = TestPlayers.open(context);
        EconomyClient sender = new EconomyClient(port, keys.playerToken(from));
        sender.post("/api/v1/players/" + from + "/purchases", key(), Map.of("offerId", "potion-pack", "quantity", 1));

        String key = key();
        Answer answer = sender.post("/api/v1/transfers", key, transfer(from, to, 300, "potion", 3));
        Answer retry = sender.post("/api/v1/transfers", key, transfer(from, to, 300, "potion", 3));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.json().get("status").asString()).isEqualTo("COMPLETED");
        assertThat(retry.body()).isEqualTo(answer.body());
        assertThat(gold(from)).isEqualTo(650);
        assertThat(gold(to)).isEqualTo(1300);
        assertThat(quantity(from, "potion")).isEqualTo(2);
        assertThat(quantity(to, "potion")).isEqualTo(3);
        String transferId = answer.json().get("transferId").asString();
        assertThat(lastEvent(from)).isEqualTo("TransferSent:" + transferId);
        assertThat(lastEvent(to)).isEqualTo("TransferReceived:" + transferId);
    }

    @Test
    void refusalsChangeNothing() {
        UUID from = TestPlayers.open(context);
        UUID to = TestPlayers.open(context);
        EconomyClient sender = new EconomyClient(port, keys.playerToken(from));
        sender.post("/api/v1/players/" + from + "/purchases", key(), Map.of("offerId", "soulbound-relic", "quantity", 1));
        new EconomyClient(port, keys.playerToken(to))
                .post("/api/v1/players/" + to + "/purchases", key(), Map.of("offerId", "sword", "quantity", 1));
        sender.post("/api/v1/players/" + from + "/purchases", key(), Map.of("offerId", "sword", "quantity", 1));
        long fromEvents = events(from);
        long toEvents = events(to);

        assertThat(problem(sender.post("/api/v1/transfers", key(), Map.of("fromPlayerId", from, "toPlayerId", to,
                "currency", Map.of("GEM", 1))))).isEqualTo("422 untradable");
        assertThat(problem(sender.post("/api/v1/transfers", key(), transfer(from, to, 0, "soulbound-relic", 1))))
                .isEqualTo("422 untradable");
        assertThat(problem(sender.post("/api/v1/transfers", key(), transfer(from, from, 5, null, 0))))
                .isEqualTo("422 self-transfer");
        assertThat(problem(sender.post("/api/v1/transfers", key(), transfer(from, to, 5_000, null, 0))))
                .isEqualTo("409 insufficient-funds");
        assertThat(problem(sender.post("/api/v1/transfers", key(), transfer(from, to, 5, "potion", 1))))
                .isEqualTo("409 items-not-held");
        assertThat(problem(sender.post("/api/v1/transfers", key(), transfer(from, to, 5, "sword", 1))))
                .as("the recipient's sword stack is full").isEqualTo("409 max-stack-exceeded");
        assertThat(problem(sender.post("/api/v1/transfers", key(), transfer(from, to, -5, null, 0))))
                .isEqualTo("400 invalid-amount");
        assertThat(problem(sender.post("/api/v1/transfers", key(), transfer(from, UUID.randomUUID(), 5, null, 0))))
                .isEqualTo("404 not-found");
        EconomyClient thief = new EconomyClient(port, keys.playerToken(to));
        assertThat(thief.post("/api/v1/transfers", key(), transfer(from, to, 5, null, 0)).status()).isEqualTo(403);
        EconomyClient server = new EconomyClient(port, keys.gameServerToken("gs-eu-1"));
        assertThat(server.post("/api/v1/transfers", key(), transfer(from, to, 5, null, 0)).status()).isEqualTo(403);

        assertThat(events(from)).isEqualTo(fromEvents);
        assertThat(events(to)).isEqualTo(toEvents);
        EconomyClient admin = new EconomyClient(port, keys.adminToken("ops"));
        assertThat(admin.post("/api/v1/transfers", key(), transfer(from, to, 5, null, 0)).status())
                .as("an admin may move a player's gold").isEqualTo(201);
    }

    @Test
    void oppositeTransfersAtOnceNeverDeadlockAndConserveTheTotal() throws Exception {
        UUID one = TestPlayers.open(context);
        UUID two = TestPlayers.open(context);
        EconomyClient first = new EconomyClient(port, keys.playerToken(one));
        EconomyClient second = new EconomyClient(port, keys.playerToken(two));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            boolean forward = i % 2 == 0;
            long amount = 1 + i % 7;
            results.add(pool.submit(() -> forward
                    ? first.post("/api/v1/transfers", key(), transfer(one, two, amount, null, 0), Duration.ofSeconds(20)).status()
                    : second.post("/api/v1/transfers", key(), transfer(two, one, amount, null, 0), Duration.ofSeconds(20)).status()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> result : results) {
            statuses.add(result.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertThat(statuses).as("no deadlock (500) and no refusal: both have plenty").containsOnly(201);
        assertThat(gold(one) + gold(two)).isEqualTo(2000);
        assertThat(events(one) + events(two)).isEqualTo(4 + 60 * 2);
    }

    private static Map<String, Object> transfer(UUID from, UUID to, long gold, String item, long quantity) {
        return item == null
                ? Map.of("fromPlayerId", from, "toPlayerId", to, "currency", Map.of("GOLD", gold))
                : Map.of("fromPlayerId", from, "toPlayerId", to, "currency", gold == 0 ? Map.of() : Map.of("GOLD", gold),
                        "items", List.of(Map.of("itemId", item, "quantity", quantity)));
    }

    private static String problem(Answer answer) {
        return answer.status() + " " + answer.problemType();
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    private long gold(UUID player) {
        return TestPlayers.gold(jdbc, player);
    }

    private long quantity(UUID player, String item) {
        return TestPlayers.quantity(jdbc, player, item);
    }

    private long events(UUID player) {
        return jdbc.sql("SELECT count(*) FROM ledger_event WHERE player_id = :p").param("p", player).query(Long.class).single();
    }

    private String lastEvent(UUID player) {
        return jdbc.sql("""
                SELECT type || ':' || (payload->>'transferId') FROM ledger_event WHERE player_id = :p
                ORDER BY sequence DESC LIMIT 1""").param("p", player).query(String.class).single();
    }
}
