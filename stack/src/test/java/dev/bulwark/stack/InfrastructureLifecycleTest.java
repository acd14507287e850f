package dev.bulwark.stack;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Starts the real PostgreSQL and Kafka processes and checks that data survives a stop and a start of each. */
class InfrastructureLifecycleTest {

    @TempDir
    Path stateDirectory;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void keepsDataAcrossRestartsOfPostgresAndKafka() throws Exception {
        // Free ports, so the test also runs beside a ./bulwark stack on the default ones.
        int[] ports = freePorts(5);
        try (StackController stack = StackController.builder()
                .stateDirectory(stateDirectory)
                .c1Only(true)
                .postgresPort(ports[0])
                .kafkaPort(ports[1])
                .kafkaControllerPort(ports[2])
                .economyShard1Port(ports[4])
                .progress(line -> System.out.println("[stack] " + line))
                .build()) {
            stack.startInfrastructure();

            try (Connection connection = connect(stack, "social"); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE guild (name text PRIMARY KEY)");
                statement.execute("INSERT INTO guild VALUES ('Bulwark')");
                assertThat(single(statement, "SHOW max_prepared_transactions")).isEqualTo("64");
            }
            stack.stopPostgres();
            stack.startPostgres();
            try (Connection connection = connect(stack, "social"); Statement statement = connection.createStatement()) {
                assertThat(single(statement, "SELECT name FROM guild")).isEqualTo("Bulwark");
            }

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                producer.send(new ProducerRecord<>("stack.lifecycle", "player-1", "level-up")).get(30, TimeUnit.SECONDS);
            }
            stack.stopKafka();
            assertThat(state(stack, "kafka")).isEqualTo("stopped");
            stack.startKafka();

            assertThat(consumeAll(stack, "stack.lifecycle", 1))
                    .extracting(ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactly(tuple("player-1", "level-up"));

            try (ControlServer control = new ControlServer(stack, ports[3]);
                 HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> status = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[3] + "/status")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(status.statusCode()).isEqualTo(200);
                assertThat(status.body())
                        .contains("\"postgres\": {\"name\": \"postgres\", \"state\": \"running\"")
                        .contains("\"kafka\": {\"name\": \"kafka\", \"state\": \"running\"")
                        .contains("\"social-service\": {\"name\": \"social-service\", \"state\": \"stopped\"")
                        .contains("\"shard1\": {\"name\": \"shard1\", \"state\": \"running\"");

                // The economy's second shard server stops and starts on its own, as ./bulwark ctl shard1 stop|start.
                HttpResponse<String> stopped = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[3]
                        + "/shard1/stop")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(stopped.body()).contains("\"state\": \"stopped\"");
                try (Connection shard0 = connect(stack, "game_economy")) {
                    assertThat(shard0.isValid(2)).as("shard0 (postgres) unaffected").isTrue();
                }
                HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[3]
                        + "/shard1/start")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(started.body()).contains("\"state\": \"running\"");
            }
        }
    }

    private static Connection connect(StackController stack, String database) throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(database), StackController.DB_USER,
                StackController.DB_PASSWORD);
    }

    private static String single(Statement statement, String query) throws SQLException {
        try (ResultSet result = statement.executeQuery(query)) {
            assertThat(result.next()).as("a row from %s", query).isTrue();
            return result.getString(1);
        }
    }

    private static String state(StackController stack, String component) {
        return stack.status().stream().filter(status -> status.name().equals(component)).findFirst().orElseThrow()
                .state();
    }

    private static List<ConsumerRecord<String, String>> consumeAll(StackController stack, String topic, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "stack-lifecycle-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
