package dev.bulwark.economy.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.economy.EconomyClient;
import dev.bulwark.economy.EconomyClient.Answer;
import dev.bulwark.economy.GameEconomyApplication;
import dev.bulwark.economy.wallet.TestPlayers;
import dev.bulwark.testsupport.TcpProxy;
import dev.bulwark.testsupport.TestInfrastructure;
import dev.bulwark.testsupport.TestKeys;

/**
 * More concurrent writers than pooled connections, with Kafka down and then back: each request
 * needs one connection at a time and never waits on Kafka, so the writers only queue for the
 * pool, briefly, and their events leave once Kafka is back. (With Spring Modulith's externalizer
 * as the outbox, each commit's Kafka send ran in an after-commit listener on the request thread,
 * blocking up to max.block.ms with Kafka down while the request still held its connection, and
 * its publication bookkeeping needed further pooled connections: on two connections four
 * purchases took seconds each.)
 */
class PurchasesOnASmallPoolTests {

    private static final int BUYERS = 4;

    @Test
    void fourConcurrentPurchasesOnAPoolOfTwoConnectionsCompleteAtOnceWhetherKafkaIsDownOrUp() throws Exception {
        int kafkaPort = TcpProxy.freePort();
        TestInfrastructure infra = TestInfrastructure.get();
        String[] broker = infra.kafkaBootstrapServers().split(",")[0].split(":");
        TestKeys keys = TestKeys.primary();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(GameEconomyApplication.class)
                .run("--server.port=0",
                        "--spring.datasource.url=" + infra.database("economy_small_pool"),
                        "--spring.datasource.username=" + infra.username(),
                        "--spring.datasource.password=" + infra.password(),
                        "--spring.datasource.hikari.maximum-pool-size=2",
                        // A starved pool shows as failures within the test's time, not after Hikari's 30 s.
                        "--spring.datasource.hikari.connection-timeout=5000",
                        "--spring.kafka.bootstrap-servers=localhost:" + kafkaPort,
                        "--bulwark.security.issuer=" + TestKeys.ISSUER,
                        "--bulwark.security.audience=" + TestKeys.AUDIENCE,
                        "--bulwark.security.public-key-location=" + keys.publicKeyLocation())) {
            int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
            List<UUID> buyers = new ArrayList<>();
            for (int i = 0; i < BUYERS; i++) {
                buyers.add(TestPlayers.open(app));
            }
            purchaseConcurrently(port, buyers); // warm-up: the first requests of a JVM are slow

            assertThat(purchaseConcurrently(port, buyers)).as("Kafka down").isLessThan(Duration.ofMillis(2500));

            JdbcClient jdbc = app.getBean(JdbcClient.class);
            try (TcpProxy reachable = TcpProxy.start(kafkaPort, broker[0], Integer.parseInt(broker[1]))) {
                assertThat(purchaseConcurrently(port, buyers)).as("Kafka up").isLessThan(Duration.ofMillis(2500));
                await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.sql("SELECT count(*) FROM outbox_message")
                        .query(Long.class).single() == 0);
            }
        }
    }

    /** One purchase per buyer, all at once; every one must succeed. Returns how long they took. */
    private static Duration purchaseConcurrently(int port, List<UUID> buyers) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        long began;
        try (ExecutorService clients = Executors.newFixedThreadPool(buyers.size())) {
            for (UUID buyer : buyers) {
                answers.add(clients.submit(() -> {
                    start.await();
                    return new EconomyClient(port, TestKeys.primary().playerToken(buyer)).post(
                            "/api/v1/players/" + buyer + "/purchases", UUID.randomUUID().toString(),
                            Map.of("offerId", "potion-pack", "quantity", 1), Duration.ofSeconds(30));
                }));
            }
            began = System.nanoTime();
            start.countDown();
            for (Future<Answer> answer : answers) {
                assertThat(answer.get().status()).as(answer.get().body()).isEqualTo(201);
            }
        }
        return Duration.ofNanos(System.nanoTime() - began);
    }
}
