package dev.bulwark.stack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real PostgreSQL and Kafka behind the stack's fault links: a link's proxy carries all of a client's traffic
 * (for Kafka also after the bootstrap, through the broker listener that advertises the proxy), the control API
 * hurts and heals it, and a healthy link costs a database round trip little.
 */
class FaultLinksTest {

    @TempDir
    Path stateDirectory;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void linksCarryAllOfAClientsTrafficToPostgresAndKafkaAndTheControlApiHurtsAndHealsThem() throws Exception {
        int base = freeRange(17);
        try (StackController stack = StackController.builder()
                .stateDirectory(stateDirectory)
                .postgresPort(base + 11)
                .economyShard1Port(base + 16)
                .kafkaPort(base + 9)
                .kafkaControllerPort(base + 10)
                .faultLinks(true)
                .faultLinkBasePort(base)
                .progress(line -> System.out.println("[stack] " + line))
                .build()) {
            stack.startInfrastructure();
            assertThat(stack.links()).extracting(FaultProxy::name).containsExactly("player-core-postgres",
                    "economy-postgres", "social-postgres", "player-core-kafka", "economy-kafka", "social-kafka",
                    "player-core-economy", "player-core-social", "economy-shard1");
            FaultProxy database = stack.link("economy-postgres");
            FaultProxy kafka = stack.link("economy-kafka");

            String direct = stack.jdbcUrl("game_economy");
            String proxied = "jdbc:postgresql://localhost:" + database.port() + "/game_economy";
            try (Connection viaDirect = connect(direct); Connection viaProxy = connect(proxied)) {
                medianSelectOneMicros(viaDirect, 300);
                medianSelectOneMicros(viaProxy, 300);
                long directMicros = medianSelectOneMicros(viaDirect, 1000);
                long proxiedMicros = medianSelectOneMicros(viaProxy, 1000);
                System.out.printf("[fault-links] SELECT 1 median round trip: direct %d µs, through the healthy "
                        + "economy-postgres link %d µs (+%d µs)%n", directMicros, proxiedMicros,
                        proxiedMicros - directMicros);
                assertThat(proxiedMicros - directMicros).as("µs the healthy link adds").isLessThan(5_000);

                stack.link("economy-postgres").cut();
                assertThatThrownBy(() -> selectOne(viaProxy)).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> connect(proxied)).isInstanceOf(SQLException.class);
                selectOne(viaDirect);
            }
            stack.healAllLinks();
            try (Connection healed = connect(proxied)) {
                selectOne(healed);
            }

            String bootstrap = "localhost:" + kafka.port();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                Collection<Node> nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
                assertThat(nodes).as("the broker a client is told about after the bootstrap")
                        .extracting(Node::port).containsExactly(kafka.port());
            }
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                producer.send(new ProducerRecord<>("stack.links", "k", "through the link")).get(30, TimeUnit.SECONDS);
                assertThat(kafka.openConnections()).as("the producer's connections cross the proxy").isPositive();

                kafka.cut();
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("stack.links", "k", "cut off"))
                        .get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            }

            int controlPort = base + 12;
            try (ControlServer control = new ControlServer(stack, controlPort);
                 HttpClient http = HttpClient.newHttpClient()) {
                String controlApi = "http://127.0.0.1:" + controlPort;
                assertThat(post(http, controlApi + "/links/economy-kafka/heal").body())
                        .contains("\"faults\": \"flowing\"");
                try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                    producer.send(new ProducerRecord<>("stack.links", "k", "healed")).get(30, TimeUnit.SECONDS);
                }
                assertThat(post(http, controlApi + "/links/economy-postgres/latency?latency=200ms&jitter=20ms")
                        .body()).contains("\"faults\": \"flowing, latency 200ms ± 20ms\"");
                try (Connection slow = connect(proxied)) {
                    long start = System.nanoTime();
                    selectOne(slow);
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(170));
                }
                assertThat(post(http, controlApi + "/links/economy-postgres/bandwidth?rate=64kb").body())
                        .contains("bandwidth 65536 B/s");
                assertThat(post(http, controlApi + "/links/economy-postgres/half-open").body())
                        .contains("\"faults\": \"half-open, latency 200ms ± 20ms, bandwidth 65536 B/s\"");
                assertThat(post(http, controlApi + "/links/nowhere/cut").statusCode()).isEqualTo(404);
                assertThat(post(http, controlApi + "/links/economy-postgres/latency?latency=soon").statusCode())
                        .isEqualTo(404);
                HttpResponse<String> links = http.send(HttpRequest.newBuilder(URI.create(controlApi + "/links"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(links.body()).contains("\"economy-postgres\": {\"name\": \"economy-postgres\", \"port\": "
                        + database.port() + ", \"target\": \"localhost:" + (base + 11) + "\", \"faults\": \"half-open");
            }
        }
    }

    private static HttpResponse<String> post(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 4_000));
    }

    private static Connection connect(String url) throws SQLException {
        DriverManager.setLoginTimeout(5);
        return DriverManager.getConnection(url, StackController.DB_USER, StackController.DB_PASSWORD);
    }

    private static void selectOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT 1")) {
            assertThat(result.next()).isTrue();
        }
    }

    private static long medianSelectOneMicros(Connection connection, int times) throws SQLException {
        long[] micros = new long[times];
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            selectOne(connection);
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        Arrays.sort(micros);
        return micros[times / 2];
    }

    /** The first of {@code count} consecutive free ports, from a random place above the ephemeral-looking ones. */
    private static int freeRange(int count) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            boolean free = true;
            for (int port = base; port < base + count && free; port++) {
                try (ServerSocket socket = new ServerSocket(port)) {
                    socket.setReuseAddress(true);
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("No " + count + " consecutive free ports found");
    }
}
