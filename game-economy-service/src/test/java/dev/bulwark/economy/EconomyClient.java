package dev.bulwark.economy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.bulwark.events.Contracts;
import tools.jackson.databind.JsonNode;

/** A bare HTTP client for the economy's API, so that tests see statuses, headers and bodies as sent. */
public record EconomyClient(int port, String token) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public record Answer(int status, Map<String, List<String>> headers, String body) {

        public JsonNode json() {
            return Contracts.MAPPER.readTree(body);
        }

        public String problemType() {
            return json().path("type").asString().replace("https://bulwark.dev/problems/", "");
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    public Answer get(String path) {
        return send(request(path).GET(), Duration.ofSeconds(10));
    }

    public Answer delete(String path) {
        return send(request(path).DELETE(), Duration.ofSeconds(10));
    }

    public Answer post(String path, String idempotencyKey, Object body) {
        return post(path, idempotencyKey, body, Duration.ofSeconds(10));
    }

    /** Posts with a client-side timeout; throws {@link java.net.http.HttpTimeoutException} (wrapped) when it runs out. */
    public Answer post(String path, String idempotencyKey, Object body, Duration timeout) {
        return post(path, idempotencyKey, body, Map.of(), timeout);
    }

    /** Posts with extra headers, e.g. an {@code Authority-Lease}. */
    public Answer post(String path, String idempotencyKey, Object body, Map<String, String> headers) {
        return post(path, idempotencyKey, body, headers, Duration.ofSeconds(10));
    }

    private Answer post(String path, String idempotencyKey, Object body, Map<String, String> headers, Duration timeout) {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : Contracts.MAPPER.writeValueAsString(body)));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        headers.forEach(request::header);
        return send(request, timeout);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static Answer send(HttpRequest.Builder request, Duration timeout) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
