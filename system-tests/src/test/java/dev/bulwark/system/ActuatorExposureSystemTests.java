package dev.bulwark.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bulwark.stack.Service;

/**
 * The stack's service ports, as an outsider sees them: anyone learns UP or DOWN, nobody but an
 * operator reads metrics or what is inside health (deployments move the actuator to a management
 * port only Prometheus reaches; the local stack keeps it on the service ports).
 */
class ActuatorExposureSystemTests {

    private static String operator;
    private static String player;

    @BeforeAll
    static void callers() throws Exception {
        SystemStack.get();
        operator = SystemStack.clientToken("ops", "dev-secret-ops");
        player = SystemStack.register("onlooker-" + SystemStack.shortId()).token();
    }

    @Test
    void metricsOnEveryServicePortAreRefusedToAnonymousCallersAndPlayers() throws Exception {
        for (Service service : Service.backends()) {
            assertThat(SystemStack.get(service, "/actuator/prometheus", null).statusCode()).as("%s anonymous", service)
                    .isEqualTo(401);
            assertThat(SystemStack.get(service, "/actuator/prometheus", player).statusCode()).as("%s player", service)
                    .isEqualTo(403);
            var scrape = SystemStack.get(service, "/actuator/prometheus", operator);
            assertThat(scrape.statusCode()).as("%s operator", service).isEqualTo(200);
            assertThat(scrape.body()).contains("http_server_requests_seconds_bucket{");
        }
    }

    @Test
    void probesStillAnswerAnyoneWithTheBareStatus() throws Exception {
        for (Service service : Service.backends()) {
            for (String probe : new String[] {"/livez", "/readyz", "/actuator/health"}) {
                var answer = SystemStack.get(service, probe, null);
                assertThat(answer.statusCode()).as("%s %s", service, probe).isEqualTo(200);
                var body = SystemStack.JSON.readTree(answer.body());
                assertThat(body.get("status").asString()).as("%s %s", service, probe).isEqualTo("UP");
                assertThat(body.has("components")).as("%s %s shows no components", service, probe).isFalse();
            }
        }
    }
}
