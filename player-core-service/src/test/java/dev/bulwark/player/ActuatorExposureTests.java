package dev.bulwark.player;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;

/**
 * The service port tells anyone whether the service is UP (probes need that), and only an
 * operator what is inside: components, breaker states, bulkheads, metrics.
 */
@IntegrationTest
class ActuatorExposureTests {

    @LocalServerPort
    int port;

    @Test
    void healthDetailsAreForOperatorsWhileTheBareStatusStaysOpen() {
        Api api = new Api(port);
        TestKeys keys = TestKeys.primary();

        Api.Response anonymous = api.get("/actuator/health", null);
        Api.Response player = api.get("/actuator/health", keys.playerToken(java.util.UUID.randomUUID()));
        Api.Response operator = api.get("/actuator/health", keys.adminToken("ops"));

        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.body().get("status").asString()).isEqualTo("UP");
        assertThat(anonymous.body().get("components")).isNull();
        assertThat(player.body().get("components")).isNull();
        assertThat(operator.body().get("components").get("circuitBreakers")).isNotNull();
        assertThat(api.get("/actuator/health/readiness", null).body().get("components")).isNull();
        assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
    }

    @Test
    void breakerAndBulkheadReadsNeedAnOperator() {
        Api api = new Api(port);
        TestKeys keys = TestKeys.primary();

        assertThat(api.get("/actuator/circuitbreakers", null).status()).isEqualTo(401);
        assertThat(api.get("/actuator/circuitbreakers", keys.playerToken(java.util.UUID.randomUUID())).status())
                .isEqualTo(403);
        assertThat(api.get("/actuator/bulkheads", keys.gameServerToken("gs-eu-1")).status()).isEqualTo(403);
        assertThat(api.get("/actuator/circuitbreakers", keys.adminToken("ops")).status()).isEqualTo(200);
    }

    @Test
    void probesAnswerOnTheServicePortAtTheirShortPaths() {
        Api api = new Api(port);

        assertThat(api.get("/livez", null).status()).isEqualTo(200);
        assertThat(api.get("/readyz", null).body().get("status").asString()).isEqualTo("UP");
        assertThat(api.get("/readyz", null).body().get("components")).isNull();
    }

    @Test
    void metricsOnTheServicePortAreAnOperatorsRead() throws Exception {
        TestKeys keys = TestKeys.primary();

        assertThat(scrape(port, null).statusCode()).isEqualTo(401);
        assertThat(scrape(port, keys.playerToken(java.util.UUID.randomUUID())).statusCode()).isEqualTo(403);
        assertThat(scrape(port, keys.gameServerToken("gs-eu-1")).statusCode()).isEqualTo(403);
        HttpResponse<String> operator = scrape(port, keys.adminToken("ops"));
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(operator.body()).contains("jvm_threads_live_threads");
    }

    /** {@code GET /actuator/prometheus} as Prometheus sends it, with a token when one is given. */
    static HttpResponse<String> scrape(int port, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
