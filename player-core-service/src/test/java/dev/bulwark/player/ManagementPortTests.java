package dev.bulwark.player;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;

/**
 * As deployed (k8s/, docker-compose.yml give {@code BULWARK_MANAGEMENT_PORT}): the actuator moves
 * to a port of its own that only Prometheus reaches, where metrics need no token; the service
 * port keeps the probes and serves no actuator endpoint; the rest of the actuator still needs an
 * operator on the management port.
 */
@IntegrationTest
@TestPropertySource(properties = "BULWARK_MANAGEMENT_PORT=0")
class ManagementPortTests {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Test
    void prometheusScrapesTheManagementPortWithoutAToken() throws Exception {
        var scrape = ActuatorExposureTests.scrape(managementPort, null);

        assertThat(managementPort).isNotEqualTo(port);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("jvm_threads_live_threads");
    }

    @Test
    void theServicePortServesProbesButNoMetrics() throws Exception {
        Api api = new Api(port);

        assertThat(ActuatorExposureTests.scrape(port, null).statusCode()).isEqualTo(404);
        assertThat(ActuatorExposureTests.scrape(port, TestKeys.primary().adminToken("ops")).statusCode()).isEqualTo(404);
        assertThat(api.get("/livez", null).status()).isEqualTo(200);
        assertThat(api.get("/readyz", null).body().get("status").asString()).isEqualTo("UP");
    }

    @Test
    void breakerStatesAndHealthDetailsOnTheManagementPortStillNeedAnOperator() {
        Api management = new Api(managementPort);
        TestKeys keys = TestKeys.primary();

        assertThat(management.get("/actuator/circuitbreakers", null).status()).isEqualTo(401);
        assertThat(management.get("/actuator/circuitbreakers", keys.playerToken(java.util.UUID.randomUUID())).status())
                .isEqualTo(403);
        assertThat(management.get("/actuator/health", null).body().get("components")).isNull();
        assertThat(management.get("/actuator/health", keys.adminToken("ops")).body().get("components")
                .get("circuitBreakers")).isNotNull();
    }
}
