package dev.bulwark.console;

import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls a service's API as the signed-in operator. Every answer that is not a success becomes a
 * {@link Refused} carrying the service's problem+json, which the page shows as it came.
 */
@Component
class Services {

    private final Map<Backend, RestClient> clients = new EnumMap<>(Backend.class);
    private final JsonMapper mapper;

    Services(ConsoleProperties properties, RestClient.Builder builder, JsonMapper mapper) {
        this.mapper = mapper;
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory();
        factory.setReadTimeout(properties.timeout());
        clients.put(Backend.PLAYER_CORE, builder.clone().requestFactory(factory)
                .baseUrl(properties.playerCoreUrl().toString()).build());
        clients.put(Backend.ECONOMY, builder.clone().requestFactory(factory)
                .baseUrl(properties.economyUrl().toString()).build());
        clients.put(Backend.SOCIAL, builder.clone().requestFactory(factory)
                .baseUrl(properties.socialUrl().toString()).build());
    }

    JsonNode get(Backend backend, String token, String path, Object... variables) {
        return call(backend, HttpMethod.GET, token, null, null, path, variables);
    }

    JsonNode post(Backend backend, String token, Object body, String path, Object... variables) {
        return call(backend, HttpMethod.POST, token, body, null, path, variables);
    }

    /** A write the service de-duplicates by key: a resubmitted confirmation applies once. */
    JsonNode postOnce(Backend backend, String token, UUID idempotencyKey, Object body, String path,
            Object... variables) {
        return call(backend, HttpMethod.POST, token, body, idempotencyKey, path, variables);
    }

    JsonNode put(Backend backend, String token, Object body, String path, Object... variables) {
        return call(backend, HttpMethod.PUT, token, body, null, path, variables);
    }

    JsonNode delete(Backend backend, String token, String path, Object... variables) {
        return call(backend, HttpMethod.DELETE, token, null, null, path, variables);
    }

    private JsonNode call(Backend backend, HttpMethod method, String token, Object body, UUID key, String path,
            Object... variables) {
        RestClient.RequestBodySpec request = clients.get(backend).method(method).uri(path, variables)
                .accept(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON)
                .headers(h -> {
                    if (token != null) {
                        h.setBearerAuth(token);
                    }
                    if (key != null) {
                        h.set("Idempotency-Key", key.toString());
                    }
                });
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        try {
            return request.exchange((req, res) -> {
                byte[] bytes = res.getBody().readAllBytes();
                String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                if (res.getStatusCode().isError()) {
                    throw new Refused(problem(backend, res.getStatusCode(), text));
                }
                return text.isBlank() ? mapper.nullNode() : mapper.readTree(text);
            });
        } catch (ResourceAccessException e) {
            throw new Refused(new Problem("console:unreachable", backend.label() + " did not answer", 503,
                    backend.label() + " could not be reached or timed out: " + e.getMostSpecificCause().getMessage(),
                    null));
        }
    }

    private Problem problem(Backend backend, HttpStatusCode status, String text) {
        try {
            JsonNode json = mapper.readTree(text);
            return new Problem(json.path("type").asString("about:blank"), json.path("title").asString(""),
                    json.path("status").asInt(status.value()), json.path("detail").asString(""), text);
        } catch (RuntimeException notJson) {
            return new Problem("about:blank", backend.label() + " answered " + status.value(), status.value(),
                    text.length() > 300 ? text.substring(0, 300) : text, text);
        }
    }
}
