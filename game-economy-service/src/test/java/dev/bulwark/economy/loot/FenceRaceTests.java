package dev.bulwark.economy.loot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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

/**
 * The seed's "item doubled on server move", replayed without Kafka: the old server keeps firing
 * grants while the player moves (epoch 1 → 2) and the new server makes its first grant. The
 * lease alone moves the fence, so no AuthorityChanged event is sent or awaited.
 */
@IntegrationTest
class FenceRaceTests {

    private static final int OLD_SERVER_THREADS = 4;
    private static final int REQUESTS_AFTER_MOVE = 6;

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    private final TestKeys keys = TestKeys.primary();

    record Attempt(String dropId, long startedNanos, int status, String problem) {
    }

    @Test
    void afterTheNewServersFirstAcceptedGrantNoGrantWithTheOldLeaseIsAcceptedAndASharedDropLandsOnce()
            throws Exception {
        UUID player = TestPlayers.open(context);
        String leaseA = keys.lease(player, "gs-eu-1", 1, Duration.ofMinutes(5));
        String leaseB = keys.lease(player, "gs-eu-2", 2, Duration.ofMinutes(5));
        EconomyClient a = new EconomyClient(port, keys.gameServerToken("gs-eu-1"));
        EconomyClient b = new EconomyClient(port, keys.gameServerToken("gs-eu-2"));
        List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch oldServerBusy = new CountDownLatch(8);
        AtomicInteger afterMove = new AtomicInteger();
        AtomicLong bAcceptedAt = new AtomicLong(Long.MAX_VALUE);

        ExecutorService pool = Executors.newFixedThreadPool(OLD_SERVER_THREADS);
        List<Future<?>> oldServer = new ArrayList<>();
        for (int t = 0; t < OLD_SERVER_THREADS; t++) {
            int thread = t;
            oldServer.add(pool.submit(() -> {
                for (int i = 0; i < 40 && afterMove.get() < OLD_SERVER_THREADS * REQUESTS_AFTER_MOVE; i++) {
                    String drop = i % 3 == 0 ? "shared-drop" : "a-" + thread + "-" + i;
                    long started = System.nanoTime();
                    Answer answer = grant(a, leaseA, player, drop);
                    attempts.add(new Attempt(drop, started, answer.status(),
                            answer.status() >= 400 ? answer.problemType() : null));
                    if (started > bAcceptedAt.get()) {
                        afterMove.incrementAndGet();
                    }
                    oldServerBusy.countDown();
                }
            }));
        }
        assertThat(oldServerBusy.await(30, TimeUnit.SECONDS)).isTrue();

        Answer first = grant(b, leaseB, player, "b-first");
        bAcceptedAt.set(System.nanoTime());
        Answer shared = grant(b, leaseB, player, "shared-drop");
        for (Future<?> f : oldServer) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(first.status()).isEqualTo(201);
        assertThat(shared.status()).as("the shared drop: landed now or answered as it first landed").isEqualTo(201);
        List<Attempt> sentAfterB = attempts.stream().filter(x -> x.startedNanos() > bAcceptedAt.get()).toList();
        assertThat(sentAfterB).as("the old server kept firing after the move").hasSizeGreaterThanOrEqualTo(REQUESTS_AFTER_MOVE);
        assertThat(sentAfterB).filteredOn(x -> !x.dropId().equals("shared-drop")).allSatisfy(x -> {
            assertThat(x.status()).isEqualTo(409);
            assertThat(x.problem()).isEqualTo("stale-lease");
        });

        List<Map<String, Object>> loot = jdbc.sql("""
                SELECT sequence, payload->>'dropId' AS drop, payload->>'serverId' AS server, (payload->>'epoch')::bigint AS epoch
                FROM ledger_event WHERE player_id = :p AND type = 'LootGranted' ORDER BY sequence""")
                .param("p", player).query().listOfRows();
        long bFirstSequence = loot.stream().filter(r -> r.get("drop").equals("b-first"))
                .mapToLong(r -> (Long) r.get("sequence")).findFirst().orElseThrow();
        assertThat(loot).filteredOn(r -> (Long) r.get("sequence") > bFirstSequence)
                .as("in ledger order, nothing from the old lease after the new server's first grant")
                .allSatisfy(r -> assertThat(r.get("epoch")).isEqualTo(2L));
        assertThat(loot).filteredOn(r -> r.get("drop").equals("shared-drop")).as("the shared drop lands once").hasSize(1);
        assertThat(attempts).filteredOn(x -> x.dropId().equals("shared-drop") && x.status() == 201)
                .as("the old server's shared drop after the move: refused, or the first answer replayed (nothing new lands)")
                .allSatisfy(x -> assertThat(x.startedNanos() < bAcceptedAt.get() || sharedLandedBefore(loot, bFirstSequence)).isTrue());
        long acceptedFromA = attempts.stream().filter(x -> x.status() == 201 && !x.dropId().equals("shared-drop")).count();
        assertThat(loot).filteredOn(r -> r.get("server").equals("gs-eu-1") && !r.get("drop").equals("shared-drop"))
                .as("every grant acknowledged to the old server is in the ledger, once").hasSize((int) acceptedFromA);
        long gold = TestPlayers.gold(jdbc, player);
        assertThat(gold).isEqualTo(1000 + 10L * loot.size());
        assertThat(attempts).filteredOn(x -> x.status() != 201 && x.status() != 409).isEmpty();
    }

    private static boolean sharedLandedBefore(List<Map<String, Object>> loot, long sequence) {
        return loot.stream().anyMatch(r -> r.get("drop").equals("shared-drop") && (Long) r.get("sequence") < sequence);
    }

    private static Answer grant(EconomyClient client, String lease, UUID player, String dropId) {
        return client.post("/api/v1/players/" + player + "/grants", dropId,
                Map.of("currency", Map.of("GOLD", 10), "reason", "race"), Map.of("Authority-Lease", lease));
    }
}
