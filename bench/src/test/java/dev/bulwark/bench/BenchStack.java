package dev.bulwark.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.JsonNode;

/** What the benchmarks over the process stack share: a fresh stack, its URLs, and players registered on it. */
final class BenchStack {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The stack's data, logs and keys. */
    static final Path STATE = Path.of("target/stack-state").toAbsolutePath();

    /** A registered player and its access token. */
    record Player(UUID id, String token) {
    }

    private BenchStack() {
    }

    /** The whole stack on wiped data in {@code target/stack-state}, not yet started. */
    static StackController fresh() throws IOException {
        return fresh(false, Map.of());
    }

    /**
     * As {@link #fresh()}; {@code c1Only} runs the services with C1 only, as the system tests do,
     * and {@code environment} is added to every service's.
     */
    static StackController fresh(boolean c1Only, Map<String, String> environment) throws IOException {
        return StackController.builder()
                .c1Only(c1Only)
                .serviceEnvironment(environment)
                .repoRoot(Path.of("..").toAbsolutePath().normalize())
                .stateDirectory(STATE)
                .wipe(true)
                // Generous: the full JIT starts slower, and the machine may be shared with builds.
                .healthTimeout(Duration.ofMinutes(8))
                .progress(line -> System.out.println("[bench] " + line))
                .build();
    }

    static URI uri(Service service, String path) {
        return URI.create(service.baseUrl() + path);
    }

    /** Registers a new player through player-core with the benchmark's own client and timeout. */
    static Player register(HttpClient http, Duration timeout) throws Exception {
        String username = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(Service.PLAYER_CORE, "/api/v1/auth/register"))
                .timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + username + "\",\"password\":\"correct horse battery\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("register answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode body = JSON.readTree(response.body());
        return new Player(UUID.fromString(body.get("playerId").asString()), body.get("accessToken").asString());
    }
}
