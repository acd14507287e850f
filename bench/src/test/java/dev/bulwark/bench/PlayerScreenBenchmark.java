package dev.bulwark.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.bulwark.bench.BenchStack.Player;
import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;
import tools.jackson.databind.json.JsonMapper;

/**
 * One player screen fetched two ways on the real stack, in one run: the GraphQL aggregate query
 * against the five sequential REST calls a client would otherwise make (profile, wallet,
 * inventory, guild, friends). Measured healthy, then with the economy slowed by a SIGSTOP/SIGCONT
 * duty cycle. Results go to stdout and target/benchmark-results.md.
 */
class PlayerScreenBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** What a front-end would wait at most for one REST call. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(15);
    private static final int PLAYERS = 10;
    private static final int WARM_UP = Integer.getInteger("bench.warmUp", 300);
    private static final int SAMPLES = Integer.getInteger("bench.samples", 400);
    private static final Duration FROZEN = Duration.ofMillis(Long.getLong("bench.frozenMs", 100));
    private static final Duration RUNNING = Duration.ofMillis(Long.getLong("bench.runningMs", 400));
    /**
     * The services' JIT: {@code full} (C1 then C2, as in production; the default) or {@code c1}
     * (C1 only, as the system tests run them).
     */
    private static final String JIT = System.getProperty("bench.jit", "full");
    /**
     * {@code -Dbench.jfr=true}: each service records a Java Flight Recording (profile settings),
     * written to {@code bench/target/jfr/} when the stack stops, for {@code jfr print} or JMC.
     */
    private static final boolean JFR = Boolean.getBoolean("bench.jfr");
    /**
     * {@code -Dbench.clients=1,8,32,64}: after the comparison, the {@code me} query alone with that
     * many clients at once (issue 23's figure), each its own player asking again as soon as it is
     * answered (a closed loop, no think time), for {@code bench.concurrentSeconds} per level after a
     * third of that as warm-up.
     */
    private static final List<Integer> CLIENTS = System.getProperty("bench.clients", "").isBlank() ? List.of()
            : java.util.Arrays.stream(System.getProperty("bench.clients").split(",")).map(String::trim).map(Integer::valueOf).toList();
    private static final Duration CONCURRENT = Duration.ofSeconds(Long.getLong("bench.concurrentSeconds", 15));
    /**
     * {@code -Dbench.metrics=true}: after the healthy phase, each service's {@code /actuator/prometheus}
     * (server and client request timers: where the screen's time goes) is saved to {@code bench/target/metrics/}.
     */
    private static final boolean METRICS = Boolean.getBoolean("bench.metrics");
    private static final String SCREEN = """
            { me { displayName level stats { hp mp strength agility } wallet { balances { GOLD GEM } held { GOLD GEM } }
                   inventory { itemId quantity } guild { guildId name role } friends { playerId state } } }""";

    /** Why GraphQL answers were incomplete (the first error's classification and reason), counted since the last reset. */
    private static final Map<String, Integer> INCOMPLETE = new java.util.concurrent.ConcurrentHashMap<>();

    private record Sample(long micros, boolean complete) {
    }

    @Test
    void aggregateQueryAgainstSequentialRestCalls() throws Exception {
        Map<String, String> environment = new java.util.HashMap<>();
        // Each benchmark player asks faster than a real client would, many times past its query rate
        // (a burst of 10, 5 a second); the limiter still runs on every query, with a bucket it never empties.
        environment.put("BULWARK_GRAPHQL_QUERIES_PER_CALLER_CAPACITY", "1000000");
        environment.put("BULWARK_GRAPHQL_QUERIES_PER_CALLER_REFILL", "1000000");
        if (JFR) {
            Path directory = Files.createDirectories(Path.of("target/jfr").toAbsolutePath());
            environment.put("JAVA_TOOL_OPTIONS",
                    "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + directory + "/");
        }
        try (StackController stack = BenchStack.fresh(JIT.equals("c1"), environment)) {
            stack.start();
            List<Player> players = new ArrayList<>();
            int needed = Math.max(PLAYERS, CLIENTS.stream().mapToInt(Integer::intValue).max().orElse(0));
            for (int i = 0; i < needed; i++) {
                // Registration hashes a password: on a loaded machine it has taken longer than a screen's timeout.
                players.add(BenchStack.register(HTTP, REGISTRATION_TIMEOUT));
            }
            for (Player player : players) {
                while (status(get(Service.GAME_ECONOMY, "/api/v1/players/" + player.id() + "/wallet", player.token())) != 200) {
                    Thread.sleep(200);
                }
            }

            List<Player> screens = players.subList(0, PLAYERS);
            measure(screens, WARM_UP);
            Map<String, List<Sample>> healthy = measure(screens, SAMPLES);
            if (METRICS) {
                saveMetrics();
            }

            AtomicBoolean slowing = new AtomicBoolean(true);
            Thread dutyCycle = Thread.ofPlatform().start(() -> {
                while (slowing.get()) {
                    stack.pauseService(Service.GAME_ECONOMY);
                    sleep(FROZEN);
                    stack.resumeService(Service.GAME_ECONOMY);
                    sleep(RUNNING);
                }
            });
            Map<String, List<Sample>> slowed;
            try {
                slowed = measure(screens, SAMPLES);
            }
            finally {
                slowing.set(false);
                dutyCycle.join();
                stack.resumeService(Service.GAME_ECONOMY);
            }
            String concurrency = "";
            if (!CLIENTS.isEmpty()) {
                // The economy's breaker may still be open from the slowed phase: wait for full answers.
                while (!graphQl(players.get(0))) {
                    Thread.sleep(500);
                }
                concurrency = concurrency(players);
            }
            report(healthy, slowed, concurrency);
        }
    }

    private static void saveMetrics() throws Exception {
        HttpResponse<String> token = send(HttpRequest.newBuilder(BenchStack.uri(Service.PLAYER_CORE, "/api/v1/auth/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"clientId\":\"ops\",\"clientSecret\":\"dev-secret-ops\"}")));
        String operator = JSON.readTree(token.body()).get("accessToken").asString();
        Path directory = Files.createDirectories(Path.of("target/metrics"));
        for (Service service : List.of(Service.PLAYER_CORE, Service.GAME_ECONOMY, Service.SOCIAL)) {
            Files.writeString(directory.resolve(service.name().toLowerCase(Locale.ROOT) + ".prom"),
                    get(service, "/actuator/prometheus", operator).body());
        }
    }

    /** The {@code me} query at each level of {@link #CLIENTS}, healthy, as a table. */
    private static String concurrency(List<Player> players) throws InterruptedException {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%n`me` alone, N clients at once in a closed loop (no think time), %d s per level after %d s of warm-up:%n%n",
                CONCURRENT.toSeconds(), CONCURRENT.dividedBy(3).toSeconds()));
        table.append("| clients | queries | queries/s | p50 ms | p99 ms | max ms | complete answers | incomplete, by first error | load average |\n");
        table.append("|---|---|---|---|---|---|---|---|---|\n");
        for (int clients : CLIENTS) {
            List<Player> playing = players.subList(0, clients);
            closedLoop(playing, CONCURRENT.dividedBy(3));
            INCOMPLETE.clear();
            long started = System.nanoTime();
            List<Sample> samples = closedLoop(playing, CONCURRENT);
            double seconds = (System.nanoTime() - started) / 1e9;
            long complete = samples.stream().filter(Sample::complete).count();
            table.append(String.format(Locale.ROOT, "| %d | %d | %.0f | %.1f | %.1f | %.1f | %d / %d | %s | %s |%n", clients,
                    samples.size(), samples.size() / seconds, percentile(samples, 50) / 1000, percentile(samples, 99) / 1000,
                    percentile(samples, 100) / 1000, complete, samples.size(), new java.util.TreeMap<>(INCOMPLETE), loadAverage()));
        }
        return table.toString();
    }

    /** Each player on its own virtual thread asks {@code me} again as soon as it is answered, for {@code length}. */
    private static List<Sample> closedLoop(List<Player> clients, Duration length) throws InterruptedException {
        List<Sample> all = java.util.Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + length.toNanos();
        try (var loops = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (Player player : clients) {
                loops.submit(() -> {
                    List<Sample> mine = new ArrayList<>();
                    while (System.nanoTime() < end) {
                        mine.add(timed(() -> graphQl(player)));
                    }
                    all.addAll(mine);
                });
            }
        }
        return all;
    }

    /** Alternates the two ways call by call, so both see the same conditions. */
    private static Map<String, List<Sample>> measure(List<Player> players, int samples) {
        List<Sample> graph = new ArrayList<>();
        List<Sample> rest = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            Player player = players.get(i % players.size());
            graph.add(timed(() -> graphQl(player)));
            rest.add(timed(() -> sequentialRest(player)));
        }
        return Map.of("graphql", graph, "rest", rest);
    }

    private static boolean graphQl(Player player) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(BenchStack.uri(Service.PLAYER_CORE, "/graphql"))
                .header("Authorization", "Bearer " + player.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", SCREEN)))));
        if (response.statusCode() != 200) {
            INCOMPLETE.merge("HTTP " + response.statusCode(), 1, Integer::sum);
            return false;
        }
        tools.jackson.databind.JsonNode errors = JSON.readTree(response.body()).path("errors");
        if (!errors.isEmpty()) {
            tools.jackson.databind.JsonNode first = errors.get(0).path("extensions");
            INCOMPLETE.merge(first.path("classification").asString("?") + " " + first.path("reason").asString(""), 1, Integer::sum);
        }
        return errors.isEmpty();
    }

    private static boolean sequentialRest(Player player) {
        String base = "/api/v1/players/" + player.id();
        boolean complete = status(get(Service.PLAYER_CORE, base, player.token())) == 200;
        complete &= status(get(Service.GAME_ECONOMY, base + "/wallet", player.token())) == 200;
        complete &= status(get(Service.GAME_ECONOMY, base + "/inventory", player.token())) == 200;
        complete &= status(get(Service.SOCIAL, base + "/guild", player.token())) == 404;
        complete &= status(get(Service.SOCIAL, base + "/friends", player.token())) == 200;
        return complete;
    }

    private interface Call {
        boolean run() throws Exception;
    }

    private static Sample timed(Call call) {
        long started = System.nanoTime();
        boolean complete;
        try {
            complete = call.run();
        }
        catch (Exception e) {
            complete = false;
        }
        return new Sample((System.nanoTime() - started) / 1_000, complete);
    }

    private static void report(Map<String, List<Sample>> healthy, Map<String, List<Sample>> slowed, String concurrency)
            throws IOException {
        double baseline = percentile(healthy.get("graphql"), 99);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
                "%d samples per row; economy slowed = SIGSTOP %d ms / SIGCONT %d ms duty cycle; services' JIT: %s; load average %s%n%n",
                SAMPLES, FROZEN.toMillis(), RUNNING.toMillis(), JIT.equals("c1") ? "C1 only" : "full (C1 + C2)", loadAverage()));
        out.append("| condition | way | p50 ms | p99 ms | max ms | complete answers | p99 / healthy GraphQL p99 |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (var condition : List.of(Map.entry("healthy", healthy), Map.entry("economy slowed", slowed))) {
            for (String way : List.of("graphql", "rest")) {
                List<Sample> samples = condition.getValue().get(way);
                long complete = samples.stream().filter(Sample::complete).count();
                out.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %d / %d | %.2f |%n",
                        condition.getKey(), way.equals("graphql") ? "GraphQL `me` (1 call)" : "REST, 5 sequential calls",
                        percentile(samples, 50) / 1000, percentile(samples, 99) / 1000, percentile(samples, 100) / 1000,
                        complete, samples.size(), percentile(samples, 99) / baseline));
            }
        }
        double graphP99 = percentile(healthy.get("graphql"), 99);
        double restP99 = percentile(healthy.get("rest"), 99);
        out.append(String.format(Locale.ROOT, "%nHealthy: GraphQL p99 / REST p99 = %.2f (target ≤ 0.60, and GraphQL p99 ≤ 20 ms)%n",
                graphP99 / restP99));
        out.append(concurrency);
        System.out.println("[bench] results\n" + out);
        Files.writeString(Path.of("target/benchmark-results.md"), out.toString());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        }
        catch (IOException | RuntimeException unknown) {
            return "unknown";
        }
    }

    private static double percentile(List<Sample> samples, int percentile) {
        long[] sorted = samples.stream().mapToLong(Sample::micros).sorted().toArray();
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }

    private static HttpResponse<String> get(Service service, String path, String token) {
        try {
            return send(HttpRequest.newBuilder(BenchStack.uri(service, path)).header("Authorization", "Bearer " + token).GET());
        }
        catch (Exception timedOut) {
            return null;
        }
    }

    private static int status(HttpResponse<String> response) {
        return response == null ? -1 : response.statusCode();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(CLIENT_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }


    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
