package dev.bulwark.social;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Payload;
import dev.bulwark.events.Topics;
import dev.bulwark.events.player.PlayerRegistered;
import dev.bulwark.events.saga.CreateGuild;
import dev.bulwark.events.saga.SagaCommand;
import dev.bulwark.events.saga.SagaOutcome;
import dev.bulwark.events.saga.SagaReply;
import dev.bulwark.testsupport.TestInfrastructure;
import dev.bulwark.testsupport.TestKeys;
import tools.jackson.databind.JsonNode;

/** Calls the service over HTTP as a given player, and makes players known the way production does. */
public final class SocialApi {

    /** A status, the response headers that tests look at, and the body (null when empty). */
    public record Response(int status, JsonNode body, org.springframework.http.HttpHeaders headers) {

        /**
         * The problem's type without the common prefix, only when the answer is a problem: its
         * content type is {@code application/problem+json}; otherwise a description of what came.
         */
        public String problemType() {
            org.springframework.http.MediaType type = headers.getContentType();
            if (type == null || !type.isCompatibleWith(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)) {
                return "(not problem+json: " + type + ")";
            }
            return body == null || body.get("type") == null ? null
                    : body.get("type").asString().replace("https://bulwark.dev/problems/", "");
        }
    }

    private final int port;
    private final JdbcClient jdbc;

    public SocialApi(int port, JdbcClient jdbc) {
        this.port = port;
        this.jdbc = jdbc;
    }

    public Response call(UUID caller, HttpMethod method, String path, Object body, Object... vars) {
        return call(caller == null ? null : TestKeys.primary().playerToken(caller), method, path, body, vars);
    }

    public Response call(String token, HttpMethod method, String path, Object body, Object... vars) {
        // The JDK client, not Apache HttpClient 5 (on the classpath for the services' own calls), which
        // would retry a 429 or 503 after its Retry-After by default and hide the answer under test.
        RestClient.Builder builder = RestClient.builder().requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl("http://localhost:" + port);
        if (token != null) {
            builder.defaultHeader("Authorization", "Bearer " + token);
        }
        RestClient.RequestBodySpec spec = builder.build().method(method).uri(path, vars);
        if (body != null) {
            spec.contentType(org.springframework.http.MediaType.APPLICATION_JSON).body(body);
        }
        return spec.exchange((req, res) -> {
            byte[] bytes = res.getBody().readAllBytes();
            JsonNode json = bytes.length == 0 ? null : Contracts.MAPPER.readTree(bytes);
            return new Response(res.getStatusCode().value(), json, res.getHeaders());
        });
    }

    /** Players registered through {@code player.events}, once the projection has them. */
    public List<UUID> knownPlayers(int count) {
        List<UUID> players = IntStream.range(0, count).mapToObj(i -> UUID.randomUUID()).toList();
        for (UUID player : players) {
            Envelope registered = Contracts.wrap(new PlayerRegistered(player, "p" + player.toString().substring(0, 8),
                    "P" + player.toString().substring(0, 6), Instant.now()), player.toString(), 1, Instant.now(), Map.of());
            TestInfrastructure.get().send(Topics.PLAYER_EVENTS.name(), player.toString(), Contracts.toBytes(registered));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("SELECT count(*) FROM known_player WHERE player_id IN (:ids)")
                .param("ids", players).query(Integer.class).single() == count);
        return players;
    }

    /**
     * The payloads published on {@code social.events} under {@code key} in their stream's order
     * (the outbox does not deliver in order; the sequence says it), waiting for {@code count}.
     */
    public static List<Payload> socialEvents(UUID key, int count) {
        return TestInfrastructure.get().awaitRecords(Topics.SOCIAL_EVENTS.name(), key.toString(), count, Duration.ofSeconds(20))
                .stream().map(Contracts::fromBytes).sorted(Comparator.comparingLong(Envelope::sequence))
                .map(Contracts::payload).toList();
    }

    /** Sends a saga command on its topic, keyed by saga, as the economy's orchestrator does. */
    public static void sendCommand(SagaCommand command) {
        Envelope envelope = Contracts.wrap(command, command.sagaId().toString(), 1, Instant.now(), Map.of());
        TestInfrastructure.get().send(envelope.topic().name(), envelope.aggregateId(), Contracts.toBytes(envelope));
    }

    /** The replies to a saga on {@code economy.saga-replies}, waiting for {@code count}. */
    public static List<SagaReply> replies(UUID sagaId, int count) {
        return TestInfrastructure.get().awaitRecords(Topics.ECONOMY_SAGA_REPLIES.name(), sagaId.toString(), count,
                        Duration.ofSeconds(30)).stream()
                .map(bytes -> (SagaReply) Contracts.payload(Contracts.fromBytes(bytes)))
                .toList();
    }

    /** A guild created the only way there is: a {@code guild-charter} saga's CreateGuild. */
    public UUID createGuild(UUID leader, String name) {
        CreateGuild command = new CreateGuild(UUID.randomUUID(), "create-guild", leader, name);
        sendCommand(command);
        SagaReply reply = replies(command.sagaId(), 1).getFirst();
        if (reply.outcome() != SagaOutcome.SUCCEEDED) {
            throw new IllegalStateException("Guild " + name + " not created: " + reply);
        }
        return UUID.fromString(reply.result().get("guildId"));
    }

    /** A name no other test uses. */
    public static String uniqueName(String prefix) {
        return prefix + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String[] strings(JsonNode array, String field) {
        return array.valueStream().map(n -> n.get(field).asString()).toArray(String[]::new);
    }
}
