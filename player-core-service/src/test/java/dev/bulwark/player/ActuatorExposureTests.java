package dev.bulwark.player;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;

/**
 * The service port tells anyone whether the service is UP (probes need that), and only an
 * operator what is inside: components, breaker states, bulkheads.
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
}
