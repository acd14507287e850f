package dev.bulwark.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Topics;
import dev.bulwark.platform.TestPlatformApplication;
import dev.bulwark.platform.TestPlatformApplication.Publisher;
import dev.bulwark.testsupport.TcpProxy;
import dev.bulwark.testsupport.TestInfrastructure;
import dev.bulwark.testsupport.TestKeys;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;

/**
 * A business transaction commits promptly while Kafka is unreachable (here from the service's
 * start-up on, which is the harder case: topics could not be checked either): the request only
 * inserts its outbox row, and the relay, on its own thread, keeps the row and retries. The
 * message is sent, once, when the broker becomes reachable. (The system tests show the same
 * with a real broker process stopped and started under a running stack, down to the wallets.)
 */
class OutboxWhileKafkaIsDownTests {

    @Test
    void aMessagePublishedWhileKafkaIsDownIsDeliveredOnceKafkaIsBack() throws Exception {
        int port = TcpProxy.freePort();
        TestInfrastructure infra = TestInfrastructure.get();
        String[] broker = infra.kafkaBootstrapServers().split(",")[0].split(":");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(TestPlatformApplication.class)
                .run("--server.port=0",
                        "--spring.datasource.url=" + infra.database("platform_kafka_down"),
                        "--spring.datasource.username=" + infra.username(),
                        "--spring.datasource.password=" + infra.password(),
                        "--spring.kafka.bootstrap-servers=localhost:" + port,
                        "--bulwark.security.public-key-location=" + TestKeys.primary().publicKeyLocation())) {
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            String aggregate = UUID.randomUUID().toString();

            // Published inside a request's trace: the envelope the relay sends later is read back
            // from the outbox table and must still carry it.
            Observation request = Observation.start("test.request", app.getBean(ObservationRegistry.class));
            String traceId;
            long started = System.nanoTime();
            try (Observation.Scope ignored = request.openScope()) {
                traceId = app.getBean(Tracer.class).currentSpan().context().traceId();
                app.getBean(Publisher.class).grant(aggregate, 1, false);
            }
            finally {
                request.stop();
            }
            Duration commitTook = Duration.ofNanos(System.nanoTime() - started);

            assertThat(commitTook).isLessThan(Duration.ofSeconds(2));
            // Several relay attempts (each gives up after max.block.ms, 3 s) keep the row.
            Thread.sleep(7_000);
            assertThat(undelivered(jdbc)).isEqualTo(1);
            assertThat(history(jdbc, aggregate)).isEmpty();
            // Later requests do not queue behind the relay's attempts either.
            long again = System.nanoTime();
            app.getBean(Publisher.class).grant(aggregate, 2, false);
            assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofSeconds(2));

            try (TcpProxy reachable = TcpProxy.start(port, broker[0], Integer.parseInt(broker[1]))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> undelivered(jdbc) == 0);
                List<byte[]> records = infra.awaitRecords(Topics.ECONOMY_EVENTS.name(), aggregate, 3, Duration.ofSeconds(10));
                assertThat(records).as("the two messages, each sent once, in order").hasSize(2);
                assertThat(records.stream().map(r -> Contracts.fromBytes(r).sequence())).containsExactly(1L, 2L);
                assertThat(Contracts.fromBytes(records.getFirst()).trace().get("traceparent"))
                        .startsWith("00-" + traceId + "-");
            }
        }
    }

    private static long undelivered(JdbcClient jdbc) {
        return jdbc.sql("SELECT count(*) FROM outbox_message").query(Long.class).single();
    }

    private static Optional<String> history(JdbcClient jdbc, String aggregate) {
        return jdbc.sql("SELECT history FROM applied_history WHERE aggregate_id = :id").param("id", aggregate)
                .query(String.class).optional();
    }
}
