package dev.bulwark.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import dev.bulwark.events.Topics;
import dev.bulwark.platform.TestPlatformApplication;
import dev.bulwark.platform.TestPlatformApplication.Publisher;
import dev.bulwark.testsupport.TestInfrastructure;
import dev.bulwark.testsupport.TestKeys;

/**
 * A business transaction commits promptly while Kafka is down; its message is sent, once, when a
 * broker is back and the scheduled resubmission runs. (The system tests show the same with a
 * real broker process stopped and started under a running stack, down to the wallets.)
 */

@Disabled("Open: when the broker is unreachable at the service's start-up and a broker appears later, resubmitted publications are not completed within 90 s (see issue 2 note). Kafka going down after start-up is covered by StackSystemTests.")
class OutboxWhileKafkaIsDownTests {

    @Test
    void aMessagePublishedWhileKafkaIsDownIsDeliveredOnceKafkaIsBack() throws Exception {
        int port = freePort();
        TestInfrastructure infra = TestInfrastructure.get();
        TestKeys keys = TestKeys.primary();
        EmbeddedKafkaKraftBroker broker = null;
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(TestPlatformApplication.class)
                .run("--server.port=0",
                        "--spring.datasource.url=" + infra.database("platform_kafka_down"),
                        "--spring.datasource.username=" + infra.username(),
                        "--spring.datasource.password=" + infra.password(),
                        "--spring.kafka.bootstrap-servers=localhost:" + port,
                        "--bulwark.security.public-key-location=" + keys.publicKeyLocation())) {
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            String aggregate = UUID.randomUUID().toString();

            long started = System.nanoTime();
            app.getBean(Publisher.class).grant(aggregate, 1, false);
            Duration commitTook = Duration.ofNanos(System.nanoTime() - started);

            await().atMost(Duration.ofSeconds(30)).until(() -> failedPublications(jdbc) > 0);
            assertThat(commitTook).isLessThan(Duration.ofSeconds(2));
            assertThat(history(jdbc, aggregate)).isEmpty();

            broker = new EmbeddedKafkaKraftBroker(1, 3).kafkaPorts(port);
            broker.afterPropertiesSet();

            await().atMost(Duration.ofSeconds(90)).until(() -> incompletePublications(jdbc) == 0);
            assertThat(deliveredKeys(broker.getBrokersAsString())).containsOnlyOnce(aggregate);
        }
        finally {
            if (broker != null) {
                broker.destroy();
            }
        }
    }

    private static long failedPublications(JdbcClient jdbc) {
        return jdbc.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL AND status = 'FAILED'")
                .query(Long.class).single();
    }

    private static long incompletePublications(JdbcClient jdbc) {
        return jdbc.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL").query(Long.class).single();
    }

    private static List<String> deliveredKeys(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "kafka-down-check-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.ECONOMY_EVENTS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> keys.add(r.key()));
            }
        }
        return keys;
    }

    private static Optional<String> history(JdbcClient jdbc, String aggregate) {
        return jdbc.sql("SELECT history FROM applied_history WHERE aggregate_id = :id").param("id", aggregate)
                .query(String.class).optional();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
