package dev.bulwark.player.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.bulwark.player.Api;
import dev.bulwark.testsupport.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * One caller's query rate, with production's burst and a refill too slow to matter within a test:
 * a flooding caller's surplus is refused before it costs any downstream call, and it costs no
 * other caller anything. (The other graph tests run with the limit relaxed, in their own context.)
 */
@IntegrationTest
class QueryRateTests {

    private static final int BURST = 10;
    private static final String SCREEN = "{ me { level wallet { balances { GOLD } } inventory { itemId } friends { playerId } } }";
    private static final PlayerQueryTests.Downstream DOWNSTREAM = new PlayerQueryTests.Downstream();

    @DynamicPropertySource
    static void tightLimit(DynamicPropertyRegistry registry) {
        registry.add("bulwark.clients.economy.base-url", DOWNSTREAM::url);
        registry.add("bulwark.clients.social.base-url", DOWNSTREAM::url);
        registry.add("bulwark.graphql.queries-per-caller.capacity", () -> BURST);
        registry.add("bulwark.graphql.queries-per-caller.refill", () -> 1);
        registry.add("bulwark.graphql.queries-per-caller.period", () -> "1h");
    }

    @LocalServerPort
    int port;

    @Test
    void aFloodingCallersQueriesBeyondTheBurstAreRefusedBeforeAnyDownstreamCallAndNoOneElsesAre() {
        Api api = new Api(port);
        String flooder = api.register().text("accessToken");
        String bystander = api.register().text("accessToken");
        for (int i = 0; i < BURST; i++) {
            JsonNode answer = query(api, flooder, SCREEN).body();
            assertThat(answer.has("errors")).as(answer.toString()).isFalse();
        }
        int callsBefore = DOWNSTREAM.calls.get();

        Api.Response refused = query(api, flooder, SCREEN);

        JsonNode error = refused.body().get("errors").get(0);
        assertThat(refused.body().get("errors")).hasSize(1);
        assertThat(refused.body().path("data").isMissingNode() || refused.body().get("data").isNull()).isTrue();
        assertThat(error.get("extensions").get("classification").asString()).isEqualTo("RATE_LIMITED");
        long retryAfter = error.get("extensions").get("retryAfterSeconds").asLong();
        assertThat(retryAfter).isPositive();
        assertThat(refused.headers().getFirst("Retry-After")).isEqualTo(Long.toString(retryAfter));
        assertThat(DOWNSTREAM.calls.get()).as("a refused query makes no downstream call").isEqualTo(callsBefore);

        JsonNode screen = query(api, bystander, SCREEN).body();
        assertThat(screen.has("errors")).as(screen.toString()).isFalse();
        assertThat(screen.get("data").get("me").get("wallet").get("balances").get("GOLD").asLong()).isEqualTo(1_000);
    }

    private static Api.Response query(Api api, String token, String query) {
        Api.Response response = api.call(HttpMethod.POST, "/graphql", token, Map.of(), Map.of("query", query));
        assertThat(response.status()).isEqualTo(200);
        return response;
    }
}
