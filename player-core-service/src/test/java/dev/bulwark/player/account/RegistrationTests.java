package dev.bulwark.player.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.web.client.RestClient;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Topics;
import dev.bulwark.events.player.PlayerRegistered;
import dev.bulwark.player.Api;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class RegistrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JwtDecoder decoder;

    @Autowired
    JdbcClient jdbc;

    @Test
    void registeringIssuesAPlayerTokenAndPublishesPlayerRegisteredThroughTheOutbox() {
        String username = "u" + UUID.randomUUID().toString().substring(0, 8);

        JsonNode body = post("/api/v1/auth/register", Map.of("username", username, "password", "correct horse battery"), 201);

        UUID playerId = UUID.fromString(body.get("playerId").asString());
        Jwt token = decoder.decode(body.get("accessToken").asString());
        assertThat(token.getSubject()).isEqualTo(playerId.toString());
        assertThat(token.getClaimAsStringList("roles")).containsExactly("PLAYER");

        Envelope event = awaitEvent(playerId);
        assertThat(event.type()).isEqualTo("PlayerRegistered");
        assertThat(event.sequence()).isEqualTo(1);
        assertThat(((PlayerRegistered) Contracts.payload(event)).username()).isEqualTo(username);

        JsonNode login = post("/api/v1/auth/login", Map.of("username", username.toUpperCase(), "password", "correct horse battery"), 200);
        assertThat(login.get("playerId").asString()).isEqualTo(playerId.toString());
        post("/api/v1/auth/login", Map.of("username", username, "password", "wrong password!!"), 401);
    }

    @Test
    void namesAreUniqueWhateverTheirCaseAndBadInputChangesNothing() {
        Api api = new Api(port);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String username = "u" + tag;
        String displayName = "Ayla " + tag;
        assertThat(register(api, Map.of("username", username, "password", "correct horse battery",
                "displayName", displayName)).status()).isEqualTo(201);
        long before = players();

        register(api, Map.of("username", username.toUpperCase(), "password", "correct horse battery"))
                .isProblem(409, "name-taken");
        register(api, Map.of("username", "v" + tag, "password", "correct horse battery",
                "displayName", displayName.toUpperCase())).isProblem(409, "name-taken");
        for (String badUsername : List.of("", "ab", "x".repeat(33), "x".repeat(10_000), "has space", "bad<name>",
                "émile" + tag)) {
            register(api, Map.of("username", badUsername, "password", "correct horse battery"))
                    .isProblem(400, "invalid-request");
        }
        for (String badDisplayName : List.of("ab", "x".repeat(33), "x".repeat(10_000), "<script>", "semi;colon")) {
            register(api, Map.of("username", "w" + tag, "password", "correct horse battery",
                    "displayName", badDisplayName)).isProblem(400, "invalid-request");
        }
        register(api, Map.of("username", "shortpass" + tag, "password", "short")).isProblem(400, "invalid-request");
        register(api, Map.of("username", "extra" + tag, "password", "correct horse battery", "admin", true))
                .isProblem(400, "malformed-request");
        register(api, Map.of("password", "correct horse battery")).isProblem(400, "invalid-request");

        assertThat(players()).isEqualTo(before);
        assertThat(jdbc.sql("SELECT count(*) FROM player WHERE lower(username) LIKE :tag")
                .param("tag", "%" + tag + "%").query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aPlayerLivesInTheRegionTheyRegisterInOrTheDefaultHomeAndAnUnknownRegionIsRefused() {
        Api api = new Api(port);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        long before = players();

        register(api, Map.of("username", "far" + tag, "password", "correct horse battery", "region", "atlantis"))
                .isProblem(400, "unknown-region");
        register(api, Map.of("username", "far" + tag, "password", "correct horse battery", "region", 7))
                .isProblem(400, "malformed-request");
        assertThat(players()).as("a refused region makes no account").isEqualTo(before);

        JsonNode named = post("/api/v1/auth/register", Map.of("username", "near" + tag, "password",
                "correct horse battery", "region", "us-east"), 201);
        JsonNode unnamed = post("/api/v1/auth/register", Map.of("username", "home" + tag, "password",
                "correct horse battery"), 201);

        for (var expected : Map.of(named, "us-east", unnamed, "eu-west").entrySet()) {
            JsonNode registered = expected.getKey();
            UUID playerId = UUID.fromString(registered.get("playerId").asString());
            JsonNode profile = RestClient.create("http://localhost:" + port).get().uri("/api/v1/players/{id}", playerId)
                    .header("Authorization", "Bearer " + registered.get("accessToken").asString())
                    .retrieve().body(JsonNode.class);
            assertThat(profile.get("homeRegion").asString()).isEqualTo(expected.getValue());
            PlayerRegistered event = (PlayerRegistered) Contracts.payload(awaitEvent(playerId));
            assertThat(event.homeRegion()).isEqualTo(expected.getValue());
        }
    }

    private static Api.Response register(Api api, Map<String, Object> body) {
        return api.post("/api/v1/auth/register", body);
    }

    @Test
    void theJwksDocumentIsPublic() {
        JsonNode jwks = RestClient.create("http://localhost:" + port).get().uri("/.well-known/jwks.json").retrieve()
                .body(JsonNode.class);
        assertThat(jwks.get("keys").get(0).get("kty").asString()).isEqualTo("RSA");
    }

    private long players() {
        return jdbc.sql("SELECT count(*) FROM player").query(Long.class).single();
    }

    private JsonNode post(String path, Map<String, Object> body, int expectedStatus) {
        return RestClient.create("http://localhost:" + port).post().uri(path).body(body)
                .exchange((req, res) -> {
                    assertThat(res.getStatusCode().value()).as("status of %s", path).isEqualTo(expectedStatus);
                    return res.bodyTo(JsonNode.class);
                });
    }

    private static Envelope awaitEvent(UUID playerId) {
        List<byte[]> records = TestInfrastructure.get().awaitRecords(Topics.PLAYER_EVENTS.name(), playerId.toString(), 1,
                Duration.ofSeconds(30));
        assertThat(records).as("PlayerRegistered for %s on %s", playerId, Topics.PLAYER_EVENTS.name()).isNotEmpty();
        return Contracts.fromBytes(records.getFirst());
    }
}
