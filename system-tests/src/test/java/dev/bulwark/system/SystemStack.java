package dev.bulwark.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one stack every system test class shares, started (from empty data) the first time a test
 * asks for it and stopped when the test JVM exits: starting three services on two cores costs
 * a minute, so it is paid once per run. Drills get short saga deadlines. Every service reaches
 * PostgreSQL, Kafka and (player-core) the other services through the stack's fault links, healthy
 * unless a test hurts one: a test that does heals them all when it ends ({@link #healAllLinks()}),
 * so that the next test class finds a healthy stack without a restart.
 */
final class SystemStack {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** Healthy in about 80 s on an idle 2-core machine; a loaded one has needed more than 3 minutes. */
    static final Duration HEALTHY = Duration.ofMinutes(5);
    static final String PASSWORD = "correct horse battery";

    /**
     * Saga deadlines and two-phase recovery short enough to drill them in seconds, and the structured (ECS
     * JSON) logs the Kubernetes manifests ask for, so that tests read the services' logs as a log
     * collector would.
     */
    static final Map<String, String> DRILL_ENVIRONMENT = Map.of(
            // Two-phase recovery every 2 s, rolling back an undecided prepared transaction 5 s old
            // (production: 10 s and 30 s), so that crash drills settle in seconds.
            "BULWARK_ECONOMY_RING_RECOVERY_INTERVAL", "2s",
            "BULWARK_ECONOMY_RING_RECOVERY_GRACE", "5s",
            "BULWARK_SAGA_PARTICIPANT_DEADLINE", "5s",
            "BULWARK_SAGA_CANCEL_RETRY", "3s",
            "BULWARK_LOG_FORMAT", "ecs");
    static final Path STATE = Path.of("target/stack-state").toAbsolutePath();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static StackController stack;

    private SystemStack() {
    }

    static synchronized StackController get() throws Exception {
        if (stack == null) {
            stack = build(true);
            stack.start();
            Runtime.getRuntime().addShutdownHook(new Thread(SystemStack::close, "system-stack-stop"));
        }
        return stack;
    }

    /** Stops every process and starts them again on the same data. */
    static synchronized StackController restart() throws Exception {
        get().close();
        stack = build(false);
        stack.start();
        return stack;
    }

    /** Heals every fault link; for a test's finally or {@code @AfterEach}. */
    static void healAllLinks() throws Exception {
        if (stack != null) {
            stack.healAllLinks();
        }
    }

    private static synchronized void close() {
        if (stack != null) {
            stack.close();
        }
    }

    private static StackController build(boolean wipe) throws Exception {
        return StackController.builder()
                .repoRoot(Path.of("..").toAbsolutePath().normalize())
                .stateDirectory(STATE)
                .wipe(wipe)
                .faultLinks(true)
                // C1 only: the drills restart services often and measure behaviour, not throughput.
                .c1Only(true)
                .healthTimeout(HEALTHY)
                .serviceEnvironment(DRILL_ENVIRONMENT)
                .progress(line -> System.out.println("[system-test] " + line))
                .build();
    }

    record Registered(UUID id, String token) {
    }

    static Registered register(String username) throws Exception {
        HttpResponse<String> response = post(Service.PLAYER_CORE, "/api/v1/auth/register", null,
                "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(response.body());
        return new Registered(UUID.fromString(body.get("playerId").asString()), body.get("accessToken").asString());
    }

    /** A client-credentials token of a development client (a game server or the operator). */
    static String clientToken(String clientId, String secret) throws Exception {
        HttpResponse<String> response = post(Service.PLAYER_CORE, "/api/v1/auth/token", null,
                "{\"clientId\":\"" + clientId + "\",\"clientSecret\":\"" + secret + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("accessToken").asString();
    }

    static HttpResponse<String> get(Service service, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .timeout(Duration.ofSeconds(20)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode getJson(Service service, String path, String token) throws Exception {
        HttpResponse<String> response = get(service, path, token);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** POSTs JSON; {@code headers} are name, value pairs (e.g. an Idempotency-Key). */
    static HttpResponse<String> post(Service service, String path, String token, String json, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A query of one shard database. */
    @FunctionalInterface
    interface ShardQuery<T> {
        T run(Connection shard) throws Exception;
    }

    /**
     * The query's result on each of the economy's shard databases, shard0 first: the stack runs the
     * economy on two shards, so a player's ledger, sagas and outbox rows are on one or the other.
     */
    static <T> List<T> onEveryEconomyShard(ShardQuery<T> query) throws Exception {
        List<T> results = new ArrayList<>();
        for (String url : get().economyShardJdbcUrls()) {
            try (Connection shard = DriverManager.getConnection(url, StackController.DB_USER, StackController.DB_PASSWORD)) {
                results.add(query.run(shard));
            }
        }
        return results;
    }

    /** The query's result on each of {@code jdbcUrls}' databases, in order. */
    static <T> List<T> onEach(List<String> jdbcUrls, ShardQuery<T> query) throws Exception {
        List<T> results = new ArrayList<>();
        for (String url : jdbcUrls) {
            try (Connection shard = DriverManager.getConnection(url, StackController.DB_USER, StackController.DB_PASSWORD)) {
                results.add(query.run(shard));
            }
        }
        return results;
    }

    /** A shard list for the economy other than the stack's own two: its ids, databases and the environment that sets it. */
    record EconomyShards(List<String> ids, List<String> jdbcUrls, Map<String, String> environment) {
    }

    /**
     * {@code count} fresh economy shard databases, alternating between the stack's two PostgreSQL
     * servers (created now, empty), and the environment that starts the economy on them: what a
     * test needs that runs the economy on more shards than the stack's two, for the length of the
     * test (the economy's own data stays where it is, for the next start without it).
     */
    static EconomyShards economyShards(int count) throws Exception {
        List<String> own = get().economyShardJdbcUrls();
        String suffix = "_s" + count + "_" + shortId().substring(0, 6);
        List<String> ids = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        Map<String, String> environment = new java.util.HashMap<>();
        for (int i = 0; i < count; i++) {
            String server = own.get(i % own.size());
            String database = Service.GAME_ECONOMY.database() + suffix + "_" + i;
            try (Connection admin = DriverManager.getConnection(server.substring(0, server.lastIndexOf('/') + 1)
                    + "postgres", "postgres", ""); var statement = admin.createStatement()) {
                statement.execute("CREATE DATABASE " + database + " OWNER " + StackController.DB_USER);
            }
            String url = server.substring(0, server.lastIndexOf('/') + 1) + database;
            ids.add("shard" + i);
            urls.add(url);
            environment.put("BULWARK_ECONOMY_SHARDS_" + i + "_ID", "shard" + i);
            if (i == 0) {
                environment.put("BULWARK_DB_URL", url);
            } else {
                environment.put("BULWARK_ECONOMY_SHARDS_" + i + "_JDBC_URL", url);
                environment.put("BULWARK_ECONOMY_SHARDS_" + i + "_USERNAME", StackController.DB_USER);
                environment.put("BULWARK_ECONOMY_SHARDS_" + i + "_PASSWORD", StackController.DB_PASSWORD);
            }
        }
        environment.put("BULWARK_ECONOMY_RING_VERSION", "1");
        return new EconomyShards(List.copyOf(ids), List.copyOf(urls), Map.copyOf(environment));
    }

    /** The lines of a service's log (one JSON object each) that mention {@code text}. */
    static List<JsonNode> logLines(Service service, String text) throws Exception {
        try (Stream<String> lines = Files.lines(STATE.resolve("logs").resolve(service.id() + ".log"))) {
            return lines.filter(line -> line.contains(text)).map(JSON::readTree).toList();
        }
    }

    static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
