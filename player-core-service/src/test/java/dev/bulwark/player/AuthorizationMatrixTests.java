package dev.bulwark.player;

import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.ADMIN;
import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.GAME_SERVER;
import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.PLAYER;
import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import dev.bulwark.testsupport.AuthorizationMatrix;
import dev.bulwark.testsupport.AuthorizationMatrix.Caller;
import dev.bulwark.events.Contracts;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;

/** Every endpoint of player-core as every kind of caller; an endpoint without a rule fails. */
@IntegrationTest
class AuthorizationMatrixTests {

    private static final String LEASE = "Authority-Lease";
    private static final String NOT_A_LEASE = "not-a-lease";

    @Autowired
    ApplicationContext context;

    @LocalServerPort
    int port;

    @TestFactory
    Stream<DynamicNode> everyEndpointAsEveryCaller() {
        return matrix().tests();
    }

    /** The bad-input suite over every endpoint's sample request: never a 5xx, every refusal problem+json. */
    @TestFactory
    Stream<DynamicNode> everyEndpointRefusesHostileInputAsProblemJson() {
        return matrix().hostileInputTests();
    }

    /**
     * The bad-input suite for {@code /graphql}, which is a router function and so not in the
     * matrix: floods, nesting, malformed documents, variables and bodies. None may be a 5xx or an
     * INTERNAL_ERROR, every one must be refused (an error entry or a 4xx), and no refusal names a
     * Java class; a 4xx is problem+json.
     */
    @TestFactory
    Stream<DynamicTest> theGraphQlEndpointRefusesHostileInputWithoutAServerError() {
        String token = TestKeys.primary().playerToken(UUID.randomUUID());
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("150 aliased wallets", graphQl(IntStream.range(0, 150)
                .mapToObj(i -> "a" + i + ": me { wallet { balances { GOLD } } }").collect(Collectors.joining(" ", "{ ", " }"))));
        bodies.put("nesting past the depth limit",
                graphQl("{ __schema { types { " + "fields { type { ".repeat(8) + "name" + " } }".repeat(8) + " } } }"));
        bodies.put("a player id that is not a UUID", graphQl("{ player(id: \"x\") { displayName } }"));
        bodies.put("a NUL in a player id", graphQl("{ player(id: \"\u0000\") { displayName } }"));
        bodies.put("a NUL in the document", graphQl("{ me { displayName\u0000 } }"));
        bodies.put("a bidirectional override in the document", graphQl("{ me { display\u202EName } }"));
        bodies.put("a field that does not exist", graphQl("{ me { password } }"));
        bodies.put("an unfinished document", graphQl("{ me { "));
        bodies.put("an object for an ID variable", """
                {"query": "query($id: ID!) { player(id: $id) { displayName } }", "variables": {"id": {"a": 1}}}""");
        bodies.put("an operation name that is not in the document", """
                {"query": "query A { me { level } }", "operationName": "B"}""");
        bodies.put("no query", "{}");
        bodies.put("a query that is a number", "{\"query\": 1}");
        bodies.put("malformed JSON", "{\"query\": ");
        bodies.put("a duplicate key", "{\"query\": \"{ me { level } }\", \"query\": \"{ me { displayName } }\"}");
        bodies.put("a 100 KB document", graphQl("{ me { " + "level ".repeat(17_000) + "} }"));
        return bodies.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            HttpResponse<String> response;
            try (HttpClient http = HttpClient.newHttpClient()) {
                response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/graphql"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(e.getValue())).build(), HttpResponse.BodyHandlers.ofString());
            }
            String seen = e.getKey() + " answered " + response.statusCode() + " "
                    + response.headers().firstValue("Content-Type").orElse("") + " " + response.body();
            assertThat(response.statusCode()).as(seen).isLessThan(500);
            assertThat(response.body()).as(seen).doesNotContain("java.", "Exception", "INTERNAL_ERROR");
            if (response.statusCode() >= 400) {
                assertThat(response.headers().firstValue("Content-Type").orElse("")).as(seen)
                        .startsWith("application/problem+json");
            }
            else {
                assertThat(response.body()).as("refused: " + seen).contains("\"errors\"");
            }
        }));
    }

    private static String graphQl(String document) {
        return Contracts.MAPPER.writeValueAsString(Map.of("query", document));
    }

    private AuthorizationMatrix matrix() {
        return AuthorizationMatrix.of(context)
                .endpoint("POST /api/v1/auth/register").body("""
                        {"username": "x", "password": "short"}""").allow(Caller.anyone())
                .endpoint("POST /api/v1/auth/login").body("""
                        {"username": "nobody-matrix", "password": "wrong password"}""").allow(Caller.anyone())
                .endpoint("POST /api/v1/auth/refresh").body("""
                        {"refreshToken": "not-a-refresh-token"}""").allow(Caller.anyone())
                .endpoint("POST /api/v1/auth/token").body("""
                        {"clientId": "nobody", "clientSecret": "wrong"}""").allow(Caller.anyone())
                .endpoint("GET /.well-known/jwks.json").allow(Caller.anyone())
                .endpoint("GET /api/v1/players/{playerId}").allow(PLAYER, GAME_SERVER, ADMIN, VIEWER)
                .endpoint("PATCH /api/v1/players/{playerId}").body("""
                        {"language": "de", "version": 0}""").allow(PLAYER)
                .endpoint("POST /api/v1/players/{playerId}/experience").header(LEASE, NOT_A_LEASE).body("""
                        {"amount": 10}""").allow(GAME_SERVER)
                .endpoint("PUT /api/v1/players/{playerId}/stats").header(LEASE, NOT_A_LEASE).body("""
                        {"hp": 100, "mp": 50, "strength": 10, "agility": 10}""").allow(GAME_SERVER)
                .endpoint("POST /api/v1/players/{playerId}/authority").allow(GAME_SERVER)
                .endpoint("POST /api/v1/players/{playerId}/authority/renew").header(LEASE, NOT_A_LEASE)
                        .allow(GAME_SERVER)
                .endpoint("POST /api/v1/players/{playerId}/authority/transfer").header(LEASE, NOT_A_LEASE).body("""
                        {"toServerId": "gs-eu-2"}""").allow(GAME_SERVER)
                .endpoint("DELETE /api/v1/players/{playerId}/authority").header(LEASE, NOT_A_LEASE).allow(GAME_SERVER)
                .endpoint("POST /api/v1/admin/players/{playerId}/ban").body("""
                        {"reason": "matrix"}""").allow(ADMIN)
                .endpoint("DELETE /api/v1/admin/players/{playerId}/ban").allow(ADMIN)
                .endpoint("POST /api/v1/auth/operator").body("""
                        {"username": "nobody-matrix", "password": "wrong password"}""").allow(Caller.anyone())
                .endpoint("GET /api/v1/admin/operators").allow(ADMIN, VIEWER)
                .endpoint("POST /api/v1/admin/operators").body("""
                        {"username": "op-matrix", "password": "matrix password 1", "role": "VIEWER"}""")
                        .allow(ADMIN)
                .endpoint("GET /api/v1/admin/players").query("q=matrix").allow(ADMIN, VIEWER)
                .endpoint("POST /api/v1/admin/operators/{username}/disable").body("""
                        {"reason": "matrix"}""").allow(ADMIN)
                .endpoint("GET /api/v1/admin/players/{playerId}/bans").allow(ADMIN, VIEWER)
                .endpoint("GET /api/v1/admin/status").allow(ADMIN, VIEWER)
                ;
    }

    @Test
    void anEndpointWithoutARuleAndARuleWithoutAnEndpointFailTheMatrix() {
        List<DynamicTest> unruled = AuthorizationMatrix.of(context)
                .endpoint("GET /.well-known/jwks.json").allow(Caller.anyone())
                .endpoint("GET /api/v1/players/{playerId}/secrets").allow(ADMIN)
                .tests()
                .filter(DynamicTest.class::isInstance).map(DynamicTest.class::cast)
                .toList();

        assertThat(unruled).extracting(DynamicTest::getDisplayName)
                .contains("POST /api/v1/players/{playerId}/experience has a rule",
                        "GET /api/v1/players/{playerId}/secrets exists")
                .doesNotContain("GET /.well-known/jwks.json has a rule");
        assertThat(unruled).allSatisfy(test -> assertThatThrownBy(() -> test.getExecutable().execute())
                .isInstanceOf(AssertionFailedError.class));
    }

    @Test
    void theOpenApiDocumentDescribesTheLevelCurve() {
        Api.Response docs = new Api(port).get("/v3/api-docs", null);

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().toString()).contains("50·L·(L−1)").contains("/api/v1/players/{playerId}/authority/transfer");
    }
}
