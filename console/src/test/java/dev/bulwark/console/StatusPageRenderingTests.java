package dev.bulwark.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import com.sun.net.httpserver.HttpServer;

/**
 * The status page renders a service's breakers, bulkheads, gauges and lag rows. The answer is a
 * recorded {@code GET /api/v1/admin/status} body served over HTTP: the page's data rows are only
 * rendered when a service has breakers, which ConsolePagesTests' unreachable services never have
 * (a template error there reached the stack first).
 */
@SpringBootTest
@AutoConfigureMockMvc
class StatusPageRenderingTests {

    private static final String STATUS = """
            {"service":"player-core","breakers":[{"name":"economy","state":"OPEN","failureRate":100.0,
            "slowCallRate":0.0,"bufferedCalls":6,"failedCalls":6,"notPermittedCalls":4}],
            "bulkheads":[{"name":"economy","availableConcurrentCalls":50,"maxAllowedConcurrentCalls":50}],
            "gauges":{"bulwark.outbox.backlog":0.0},"consumerLag":[{"clientId":"c-1","topic":"player.events",
            "partition":"0","records":3.0}]}""";

    private static HttpServer service;

    @Autowired
    MockMvc mvc;

    @DynamicPropertySource
    static void recordedService(DynamicPropertyRegistry registry) throws IOException {
        service = RecordedServices.start(java.util.Map.of("/api/v1/admin/status", STATUS), registry);
    }

    @AfterAll
    static void stop() {
        service.stop(0);
    }

    @Test
    void aServicesBreakersBulkheadsGaugesAndLagAreRows() throws Exception {
        String page = mvc.perform(get("/status").sessionAttr(SignedInOperator.ATTRIBUTE,
                        new SignedInOperator("alice", "VIEWER", "t", Instant.now().plusSeconds(600))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(page).contains("data-breaker=\"economy\"").contains("<td class=\"breaker-state\">OPEN</td>")
                .contains("bulwark.outbox.backlog").contains("player.events");
    }
}
