package dev.bulwark.player;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Topics;
import dev.bulwark.testsupport.TestInfrastructure;
import tools.jackson.databind.JsonNode;

/** Calls the service under test over real HTTP and reads what it published on Kafka. */
public final class Api {

    private final RestClient client;

    public Api(int port) {
        // The JDK client, not Apache HttpClient 5 (on the classpath for the services' own calls), which
        // would retry a 429 or 503 after its Retry-After by default and hide the answer under test.
        this.client = RestClient.builder().requestFactory(new JdkClientHttpRequestFactory()).baseUrl("http://localhost:" + port)
                .requestFactory(new JdkClientHttpRequestFactory()).build();
    }

    public record Response(int status, JsonNode body, HttpHeaders headers) {

        public String text(String field) {
            return body.get(field).asString();
        }

        /** Asserts a problem+json answer with this status and problem type. */
        public Response isProblem(int expectedStatus, String expectedType) {
            org.assertj.core.api.Assertions.assertThat(status).as("%s", body).isEqualTo(expectedStatus);
            org.assertj.core.api.Assertions.assertThat(headers.getContentType()).as("%s", body)
                    .hasToString("application/problem+json");
            org.assertj.core.api.Assertions.assertThat(problem()).as("%s", body).isEqualTo(expectedType);
            return this;
        }

        /** The last segment of the problem type, e.g. {@code stale-lease}. */
        public String problem() {
            String type = body.get("type").asString();
            return type.substring(type.lastIndexOf('/') + 1);
        }
    }

    public Response call(HttpMethod method, String path, String token, Map<String, String> headers, Object body) {
        var request = client.method(method).uri(path).headers(h -> {
            if (token != null) {
                h.setBearerAuth(token);
            }
            headers.forEach(h::set);
        });
        if (body != null) {
            request.body(body);
        }
        return request.exchange((req, res) -> {
            byte[] bytes = res.bodyTo(byte[].class);
            JsonNode json = bytes == null || bytes.length == 0 ? null : Contracts.MAPPER.readTree(bytes);
            return new Response(res.getStatusCode().value(), json, res.getHeaders());
        });
    }

    public Response post(String path, Object body) {
        return call(HttpMethod.POST, path, null, Map.of(), body);
    }

    public Response get(String path, String token) {
        return call(HttpMethod.GET, path, token, Map.of(), null);
    }

    /** Registers a fresh player; returns the register response. */
    public Response register() {
        String username = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return post("/api/v1/auth/register", Map.of("username", username, "password", "correct horse battery"));
    }

    public String clientToken(String clientId) {
        String secret = "ops".equals(clientId) ? "dev-secret-ops" : "dev-secret-" + clientId;
        return post("/api/v1/auth/token", Map.of("clientId", clientId, "clientSecret", secret)).text("accessToken");
    }

    /** The player's events on {@code player.events} of one type, waiting until {@code count} arrived. */
    public static List<Envelope> events(UUID playerId, String type, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Envelope> found = List.of();
        while (found.size() < count && System.nanoTime() < deadline) {
            found = TestInfrastructure.get()
                    .awaitRecords(Topics.PLAYER_EVENTS.name(), playerId.toString(), Integer.MAX_VALUE, Duration.ofSeconds(2))
                    .stream().map(Contracts::fromBytes).filter(e -> e.type().equals(type))
                    .collect(Collectors.toList());
        }
        return found;
    }
}
