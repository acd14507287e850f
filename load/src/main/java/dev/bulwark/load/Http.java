package dev.bulwark.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.bulwark.stack.Service;
import dev.bulwark.testsupport.checker.Attempt;
import dev.bulwark.testsupport.checker.Operation;
import dev.bulwark.testsupport.checker.Outcome;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The drills' own HTTP calls to the stack (the background load is Gatling's). */
final class Http {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {
    }

    static HttpRequest.Builder request(Service service, String path, String token, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(service.baseUrl() + path)).timeout(timeout)
                .header("Content-Type", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    static HttpResponse<String> get(Service service, String path, String token) throws IOException, InterruptedException {
        return CLIENT.send(request(service, path, token, Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(Service service, String path, String token, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(service, path, token, Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** The body of a 2xx answer, or an exception naming the call and its answer. */
    static JsonNode ok(String what, HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
        }
        return json(response);
    }

    /**
     * Sends a write as a careful client does, recording each attempt in its operation for the
     * checker: again with the same key after an unknown outcome (no answer, a 5xx) or a 429, until
     * the answer is definite or {@code giveUp} has passed. The acknowledged body (its
     * {@code idField} names the operation), or null if refused or never answered.
     */
    static JsonNode untilDefinite(Operation operation, HttpRequest request, String idField, Duration giveUp,
            Duration pause) throws InterruptedException {
        Instant end = Instant.now().plus(giveUp);
        while (Instant.now().isBefore(end)) {
            Instant sent = Instant.now();
            Attempt attempt;
            HttpResponse<String> response = null;
            try {
                response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
                attempt = Attempt.of(sent, response);
            } catch (IOException noAnswer) {
                attempt = Attempt.failed(sent, noAnswer);
            }
            if (attempt.outcome() == Outcome.ACKNOWLEDGED) {
                JsonNode body = json(response);
                operation.acknowledged(attempt, body.path(idField).asString());
                return body;
            }
            operation.record(attempt);
            if (attempt.outcome() == Outcome.REFUSED && response.statusCode() != 429) {
                return null;
            }
            Thread.sleep(pause.toMillis());
        }
        return null;
    }

    static String clientToken(String clientId, String secret) throws IOException, InterruptedException {
        return ok("client token " + clientId, post(Service.PLAYER_CORE, "/api/v1/auth/token", null,
                "{\"clientId\":\"" + clientId + "\",\"clientSecret\":\"" + secret + "\"}", Map.of()))
                .get("accessToken").asString();
    }

    static String login(String username, String password) throws IOException, InterruptedException {
        return ok("login " + username, post(Service.PLAYER_CORE, "/api/v1/auth/login", null,
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}", Map.of()))
                .get("accessToken").asString();
    }
}
