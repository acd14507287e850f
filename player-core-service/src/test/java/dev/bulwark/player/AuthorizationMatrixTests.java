package dev.bulwark.player;

import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.ADMIN;
import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.GAME_SERVER;
import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.PLAYER;
import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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
import dev.bulwark.testsupport.IntegrationTest;

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
