package dev.bulwark.player;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.bulwark.testsupport.IntegrationTest;

/**
 * What fails before any controller (the security filters' firewall here; a database outage inside a
 * filter in the economy's fault drill) reaches the servlet container's error dispatch, and is still
 * answered with problem+json.
 */
@IntegrationTest
class ErrorDispatchTests {

    @LocalServerPort
    int port;

    @Test
    void aPathTheFirewallRejectsIsAProblemNotBootsDefaultErrorBody() {
        new Api(port).get("/api/v1/players/x;jsessionid=y", null).isProblem(400, "malformed-request");
    }
}
