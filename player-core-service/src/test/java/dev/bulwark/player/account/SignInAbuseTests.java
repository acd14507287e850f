package dev.bulwark.player.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.TestPropertySource;

import dev.bulwark.player.Api;
import dev.bulwark.testsupport.IntegrationTest;

/**
 * The sign-in and registration limits ON, with the production values of application.yaml (the
 * other tests relax the per-address ones), except the spraying limit, lowered so the test stays
 * short. Each test calls from its own client addresses (X-Forwarded-For, trusted from loopback as
 * from the cluster's ingress).
 */
@IntegrationTest
@TestPropertySource(properties = { "bulwark.auth.registrations-per-address.capacity=5",
        "bulwark.auth.sign-ins-per-address.capacity=12", "bulwark.web.anonymous-reads-per-address.capacity=5" })
class SignInAbuseTests {

    private static final AtomicInteger ADDRESSES = new AtomicInteger();
    private static final String PASSWORD = "correct horse battery";

    @LocalServerPort
    int port;

    @Test
    void aBotFarmCannotRegisterMoreThanFiveAccountsAnHourFromOneAddress() {
        Api api = new Api(port);
        String farm = address();

        for (int i = 0; i < 5; i++) {
            assertThat(register(api, farm).status()).isEqualTo(201);
        }
        Api.Response refused = register(api, farm).isProblem(429, "rate-limited");

        assertThat(Long.parseLong(refused.headers().getFirst("Retry-After"))).isPositive();
        assertThat(register(api, address()).status()).as("another address").isEqualTo(201);
    }

    @Test
    void bruteForcingAnOperatorSecretIsThrottledAndTheOperatorStillSignsIn() {
        Api api = new Api(port);
        String operator = address();
        assertThat(token(api, "ops", "dev-secret-ops", operator).status()).isEqualTo(200);
        String attacker = address();

        for (int i = 0; i < 5; i++) {
            token(api, "ops", "guess-" + i, attacker).isProblem(401, "bad-client-credentials");
        }
        token(api, "ops", "dev-secret-ops", attacker).isProblem(429, "too-many-login-attempts");

        assertThat(token(api, "ops", "dev-secret-ops", operator).status()).as("from the operator's own address")
                .isEqualTo(200);
    }

    @Test
    void guessingAtUnknownClientIdsIsThrottledToo() {
        Api api = new Api(port);
        String attacker = address();
        String clientId = "no-such-client-" + UUID.randomUUID();

        for (int i = 0; i < 5; i++) {
            token(api, clientId, "guess-" + i, attacker).isProblem(401, "bad-client-credentials");
        }
        token(api, clientId, "guess", attacker).isProblem(429, "too-many-login-attempts");
    }

    @Test
    void sprayingOnePasswordOverManyUsernamesIsThrottledPerAddress() {
        Api api = new Api(port);
        String sprayer = address();

        for (int i = 0; i < 12; i++) {
            login(api, "victim" + UUID.randomUUID().toString().substring(0, 8), "Summer2026!", sprayer)
                    .isProblem(401, "bad-credentials");
        }
        login(api, "victim-next", "Summer2026!", sprayer).isProblem(429, "rate-limited");
    }

    @Test
    void failingAPlayersLoginOnPurposeLocksOutTheAttackerNotThePlayer() {
        Api api = new Api(port);
        String home = address();
        String username = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        assertThat(register(api, username, home).status()).isEqualTo(201);
        assertThat(login(api, username, PASSWORD, home).status()).isEqualTo(200);

        // 20 failures from four new addresses use up the per-username ceiling for new addresses.
        for (int a = 0; a < 4; a++) {
            String attacker = address();
            for (int i = 0; i < 5; i++) {
                login(api, username, "wrong password " + i, attacker).isProblem(401, "bad-credentials");
            }
            login(api, username, PASSWORD, attacker).isProblem(429, "too-many-login-attempts");
        }
        login(api, username, PASSWORD, address()).isProblem(429, "too-many-login-attempts");

        assertThat(login(api, username, PASSWORD, home).status()).as("the player, from where they signed in before")
                .isEqualTo(200);
    }

    @Test
    void anAnonymousReadFloodFromOneAddressIsRefusedWhileTokensAndProbesPass() {
        Api api = new Api(port);
        String flooder = address();

        for (int i = 0; i < 5; i++) {
            assertThat(read(api, "/.well-known/jwks.json", null, flooder).status()).isEqualTo(200);
        }
        read(api, "/.well-known/jwks.json", null, flooder).isProblem(429, "rate-limited");
        read(api, "/api/v1/players/" + UUID.randomUUID(), null, flooder).isProblem(429, "rate-limited");

        assertThat(read(api, "/actuator/health/readiness", null, flooder).status()).as("probes").isEqualTo(200);
        assertThat(read(api, "/api/v1/players/" + UUID.randomUUID(), api.clientToken("ops"), flooder).status())
                .as("with a token, the per-caller limits apply").isEqualTo(404);
        assertThat(read(api, "/.well-known/jwks.json", null, address()).status()).as("another address").isEqualTo(200);
    }

    private static Api.Response read(Api api, String path, String token, String address) {
        return api.call(HttpMethod.GET, path, token, Map.of("X-Forwarded-For", address), null);
    }

    private static Api.Response register(Api api, String address) {
        return register(api, "a" + UUID.randomUUID().toString().replace("-", "").substring(0, 12), address);
    }

    private static Api.Response register(Api api, String username, String address) {
        return api.call(HttpMethod.POST, "/api/v1/auth/register", null, Map.of("X-Forwarded-For", address),
                Map.of("username", username, "password", PASSWORD));
    }

    private static Api.Response login(Api api, String username, String password, String address) {
        return api.call(HttpMethod.POST, "/api/v1/auth/login", null, Map.of("X-Forwarded-For", address),
                Map.of("username", username, "password", password));
    }

    private static Api.Response token(Api api, String clientId, String secret, String address) {
        return api.call(HttpMethod.POST, "/api/v1/auth/token", null, Map.of("X-Forwarded-For", address),
                Map.of("clientId", clientId, "clientSecret", secret));
    }

    /** Documentation addresses (RFC 5737), a new one per call. */
    private static String address() {
        int n = ADDRESSES.incrementAndGet();
        return "203.0." + (n / 250) + "." + (n % 250 + 1);
    }
}
