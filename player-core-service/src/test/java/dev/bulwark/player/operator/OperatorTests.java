package dev.bulwark.player.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.bulwark.player.Api;
import dev.bulwark.testsupport.IntegrationTest;

/**
 * Named operators: the configured first ADMIN signs in, creates a VIEWER, and each gets a token
 * naming them whose role the services enforce (the viewer reads the admin GETs, acts on nothing).
 */
@IntegrationTest
@TestPropertySource(properties = {"bulwark.operators.bootstrap-username=Root-Op",
        "bulwark.operators.bootstrap-password=root operator password"})
class OperatorTests {

    @LocalServerPort
    int port;

    @Autowired
    JwtDecoder decoder;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    private Api.Response signIn(String username, String password) {
        return api.post("/api/v1/auth/operator", Map.of("username", username, "password", password));
    }

    @Test
    void theBootstrappedAdminSignsInForATokenNamingThemWithTheAdminRole() {
        Api.Response signedIn = signIn("root-op", "root operator password");

        assertThat(signedIn.status()).as("%s", signedIn.body()).isEqualTo(200);
        assertThat(signedIn.text("role")).isEqualTo("ADMIN");
        Jwt token = decoder.decode(signedIn.text("accessToken"));
        assertThat(token.getSubject()).isEqualTo("operator:root-op");
        assertThat(token.getClaimAsStringList("roles")).containsExactly("ADMIN");
        assertThat(api.get("/api/v1/admin/operators", signedIn.text("accessToken")).body().toString())
                .contains("\"username\":\"root-op\"").contains("\"createdBy\":\"bootstrap\"");
    }

    @Test
    void aWrongPasswordOrAnUnknownOperatorIsTheSameRefusal() {
        signIn("root-op", "not the password at all").isProblem(401, "bad-credentials");
        signIn("nobody-" + UUID.randomUUID().toString().substring(0, 8), "root operator password")
                .isProblem(401, "bad-credentials");
    }

    @Test
    void aViewerReadsTheAdminReadsButCannotAct() {
        String admin = signIn("root-op", "root operator password").text("accessToken");
        String name = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response created = api.call(HttpMethod.POST, "/api/v1/admin/operators", admin, Map.of(),
                Map.of("username", name, "password", "viewer password 1", "role", "VIEWER"));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        assertThat(created.text("createdBy")).isEqualTo("operator:root-op");
        api.call(HttpMethod.POST, "/api/v1/admin/operators", admin, Map.of(),
                Map.of("username", name, "password", "viewer password 1", "role", "VIEWER"))
                .isProblem(409, "operator-exists");

        Api.Response viewer = signIn(name, "viewer password 1");
        assertThat(viewer.text("role")).isEqualTo("VIEWER");
        String token = viewer.text("accessToken");
        UUID player = UUID.fromString(api.register().text("playerId"));

        assertThat(api.get("/api/v1/players/" + player, token).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/admin/players?q=" + player, token).status()).isEqualTo(200);
        api.call(HttpMethod.POST, "/api/v1/admin/players/" + player + "/ban", token, Map.of(),
                Map.of("reason", "a viewer may not")).isProblem(403, "forbidden");
        api.call(HttpMethod.POST, "/api/v1/admin/operators", token, Map.of(),
                Map.of("username", name + "x", "password", "viewer password 1", "role", "ADMIN"))
                .isProblem(403, "forbidden");
    }

    @Test
    void aPlayerTokenCannotUseTheConsoleReads() {
        Api.Response player = api.register();
        String token = player.text("accessToken");

        api.get("/api/v1/admin/players?q=p", token).isProblem(403, "forbidden");
        api.get("/api/v1/admin/operators", token).isProblem(403, "forbidden");
        api.get("/api/v1/admin/status", token).isProblem(403, "forbidden");
    }

    @Test
    void thePlayerSearchFindsByIdAndByTheStartOfANameWhateverItsCase() {
        Api.Response registered = api.register();
        String username = api.get("/api/v1/players/" + registered.text("playerId"), registered.text("accessToken"))
                .text("username");
        String admin = signIn("root-op", "root operator password").text("accessToken");

        Api.Response byPrefix = api.get("/api/v1/admin/players?q=" + username.substring(0, 9).toUpperCase(), admin);
        Api.Response byId = api.get("/api/v1/admin/players?q=" + registered.text("playerId"), admin);
        Api.Response wildcard = api.get("/api/v1/admin/players?q=%25", admin);

        assertThat(byPrefix.body().toString()).contains(registered.text("playerId"));
        assertThat(byId.body()).hasSize(1);
        assertThat(byId.body().get(0).get("username").asString()).isEqualTo(username);
        assertThat(wildcard.body()).as("a %% is a literal, not a wildcard").isEmpty();
    }

    @Test
    void anAdminDisablesAnOperatorWhoseTokenAndSignInStopWorkingAndTheAuditLogNamesWhoDidIt() {
        String admin = signIn("root-op", "root operator password").text("accessToken");
        String name = "leaver-" + UUID.randomUUID().toString().substring(0, 8);
        api.call(HttpMethod.POST, "/api/v1/admin/operators", admin, Map.of(),
                Map.of("username", name, "password", "leaver password 1", "role", "ADMIN"));
        String token = signIn(name, "leaver password 1").text("accessToken");
        assertThat(api.get("/api/v1/admin/operators", token).status()).isEqualTo(200);

        api.call(HttpMethod.POST, "/api/v1/admin/operators/" + name + "/disable", token, Map.of(),
                Map.of("reason", "myself")).isProblem(409, "cannot-disable-self");
        Api.Response disabled = api.call(HttpMethod.POST, "/api/v1/admin/operators/" + name + "/disable", admin, Map.of(),
                Map.of("reason", "left the team"));
        Api.Response again = api.call(HttpMethod.POST, "/api/v1/admin/operators/" + name + "/disable", admin, Map.of(),
                Map.of("reason", "twice"));

        assertThat(disabled.status()).as("%s", disabled.body()).isEqualTo(200);
        assertThat(disabled.text("disabledBy")).isEqualTo("operator:root-op");
        assertThat(again.text("disabledReason")).as("a second disable changes nothing").isEqualTo("left the team");
        assertThat(api.get("/api/v1/admin/operators", token).status()).as("the token it held").isEqualTo(401);
        signIn(name, "leaver password 1").isProblem(401, "bad-credentials");
        api.call(HttpMethod.POST, "/api/v1/admin/operators/nobody-here/disable", admin, Map.of(),
                Map.of("reason", "x")).isProblem(404, "not-found");
        assertThat(jdbc.sql("SELECT string_agg(action || ' by ' || admin_id, ', ' ORDER BY id) FROM admin_audit_log WHERE subject = :s")
                .param("s", "operator:" + name).query(String.class).single())
                .isEqualTo("CREATE_OPERATOR by operator:root-op, DISABLE_OPERATOR by operator:root-op");
    }

    @Test
    void anOperatorDisabledEventReachingAServicesBanListRefusesThatOperatorsTokens() {
        // What the economy and social do when OperatorDisabled arrives: the platform's ban list
        // listener, fed here by an event nobody recorded locally.
        String subject = "operator:ghost-" + UUID.randomUUID().toString().substring(0, 8);
        String token = dev.bulwark.testsupport.TestKeys.primary().adminToken(subject);
        assertThat(api.get("/api/v1/admin/operators", token).status()).isEqualTo(200);

        var envelope = dev.bulwark.events.Contracts.wrap(new dev.bulwark.events.player.OperatorDisabled(subject,
                "operator:root-op", "left", java.time.Instant.now()),
                dev.bulwark.events.player.OperatorDisabled.aggregateOf(subject).toString(), 1, java.time.Instant.now(),
                Map.of());
        dev.bulwark.testsupport.TestInfrastructure.get().send(dev.bulwark.events.Topics.PLAYER_EVENTS.name(),
                envelope.aggregateId(), dev.bulwark.events.Contracts.toBytes(envelope));

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> api.get("/api/v1/admin/operators", token).status() == 401);
    }

    @Test
    void aBanAndItsLiftAreInThePlayersAuditLogNamingTheOperator() {
        String admin = signIn("root-op", "root operator password").text("accessToken");
        String player = api.register().text("playerId");

        api.call(HttpMethod.POST, "/api/v1/admin/players/" + player + "/ban", admin, Map.of(), Map.of("reason", "botting"));
        api.call(HttpMethod.DELETE, "/api/v1/admin/players/" + player + "/ban", admin, Map.of(), null);
        Api.Response log = api.get("/api/v1/admin/players/" + player + "/bans", admin);

        assertThat(log.status()).isEqualTo(200);
        assertThat(log.body()).hasSize(2);
        assertThat(log.body().get(0).get("action").asString()).isEqualTo("UNBAN");
        assertThat(log.body().get(1).get("action").asString()).isEqualTo("BAN");
        assertThat(log.body().get(1).get("reason").asString()).isEqualTo("botting");
        assertThat(log.body().get(1).get("adminId").asString()).isEqualTo("operator:root-op");
    }
}
