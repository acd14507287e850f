package dev.bulwark.player;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.player.account.DisplayNames;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.RawHttp;

/**
 * What an attacker sends that is not a well-formed request: every refusal is a 400-class
 * problem+json naming no Java class or server internals, and nothing is stored.
 */
@IntegrationTest
class HostileInputTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @ParameterizedTest
    @ValueSource(strings = { "ad\u0000min", "ad\u0001min", "admin\u202E", "ad\u009Bmin", "ad\uD800min" })
    void nulControlAndBidiCharactersInALoginAre400NotA500(String username) {
        Api.Response refused = new Api(port).post("/api/v1/auth/login",
                Map.of("username", username, "password", "whatever it is"));

        refused.isProblem(400, "invalid-characters");
        assertThat(refused.body().get("detail").asString()).contains("username").doesNotContain("java");
    }

    @Test
    void aDisplayNameWithABidirectionalOverrideIsRefused() {
        Api.Response refused = new Api(port).post("/api/v1/auth/register", Map.of("username", unique(),
                "password", "correct horse battery", "displayName", "evil\u202Egnp.exe"));

        refused.isProblem(400, "invalid-characters");
    }

    @ParameterizedTest
    @ValueSource(strings = { "\uFF41\uFF44\uFF4D\uFF49\uFF4E", "\u0430dmin", "ADMIN", "ADMlN", "adrnin", "AdMIN" })
    void aLookAlikeOfATakenDisplayNameIsTaken(String lookAlike) {
        Api api = new Api(port);
        String suffix = Long.toString(System.nanoTime() % 100_000);
        String original = "admin" + suffix;
        assertThat(api.post("/api/v1/auth/register", Map.of("username", unique(), "password", "correct horse battery",
                "displayName", original)).status()).isEqualTo(201);

        Api.Response taken = api.post("/api/v1/auth/register", Map.of("username", unique(),
                "password", "correct horse battery", "displayName", lookAlike + suffix));

        taken.isProblem(409, "name-taken");
        assertThat(jdbc.sql("SELECT count(*) FROM player WHERE display_name_skeleton = :s")
                .param("s", DisplayNames.skeleton(original)).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void aFullWidthDisplayNameIsStoredInItsCompatibilityForm() {
        Api api = new Api(port);
        String suffix = Long.toString(System.nanoTime() % 100_000);
        Api.Response registered = api.post("/api/v1/auth/register", Map.of("username", unique(),
                "password", "correct horse battery", "displayName", "\uFF37\uFF49\uFF5A" + suffix));

        assertThat(registered.status()).isEqualTo(201);
        assertThat(jdbc.sql("SELECT display_name FROM player WHERE player_id = :id")
                .param("id", UUID.fromString(registered.text("playerId"))).query(String.class).single())
                .isEqualTo("Wiz" + suffix);
    }

    @Test
    void aMalformedIdOrAnUnknownEnumNamesNoJavaClass() {
        Api api = new Api(port);
        String admin = api.clientToken("ops");

        Api.Response badId = api.get("/api/v1/players/not-a-uuid", admin).isProblem(400, "invalid-request");
        Api.Response badEnum = api.post("/api/v1/auth/register", Map.of("username", unique(),
                "password", "correct horse battery", "characterClass", "DRAGON")).isProblem(400, "malformed-request");

        for (Api.Response refused : new Api.Response[] { badId, badEnum }) {
            assertThat(refused.body().toString()).doesNotContain("java.", "Exception", "dev.bulwark", "tools.jackson");
        }
        assertThat(badId.body().get("detail").asString()).isEqualTo("playerId must be a UUID");
    }

    @Test
    void numbersAreNotCoercedAndDuplicateKeysAreRefused() {
        Api api = new Api(port);
        String admin = api.clientToken("ops");
        Api.Response registered = api.register();
        String path = "/api/v1/players/" + registered.text("playerId");

        for (String body : new String[] { "{\"language\": \"de\", \"version\": 0.5}",
                "{\"language\": \"de\", \"version\": \"0\"}", "{\"language\": \"de\", \"language\": \"fr\", \"version\": 0}",
                "{\"language\": 7, \"version\": 0}" }) {
            api.call(HttpMethod.PATCH, path, registered.text("accessToken"), Map.of("Content-Type", "application/json"),
                    body).isProblem(400, "malformed-request");
        }
        assertThat(api.get(path, admin).body().get("version").asLong()).as("nothing changed").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = { "/api/v1/players/a%2Fb", "/api/v1/players/a%00b", "//api/v1/auth/register",
            "/api/v1/./players/x", "/api/v1/players;x=1/abc", "/api/v1/players/%", "/api/v1/players/%ZZ" })
    void pathsTheServerRefusesAreProblemJson(String target) {
        RawHttp.Answer answer = RawHttp.send(port, "GET", target, "");

        assertThat(answer.status()).as(answer.body()).isBetween(400, 499);
        assertThat(answer.contentType()).as(answer.body()).startsWith("application/problem+json");
        assertThat(answer.body()).doesNotContain("<html", "Tomcat", "java.", "timestamp");
    }

    @Test
    void anOversizedHeaderOrQueryIsProblemJson() {
        String big = "x".repeat(20_000);

        RawHttp.Answer header = RawHttp.send(port, "GET", "/api/v1/players/" + UUID.randomUUID(), "X-Big: " + big + "\r\n");
        RawHttp.Answer query = RawHttp.send(port, "GET", "/api/v1/players/" + UUID.randomUUID() + "?q=" + big, "");

        for (RawHttp.Answer answer : new RawHttp.Answer[] { header, query }) {
            assertThat(answer.status()).as(answer.body()).isBetween(400, 499);
            assertThat(answer.contentType()).as(answer.body()).startsWith("application/problem+json");
            assertThat(answer.body()).doesNotContain("<html", "Tomcat");
        }
    }

    @Test
    void aNulInTheQueryStringIs400() {
        RawHttp.Answer answer = RawHttp.send(port, "GET", "/.well-known/jwks.json?x=%00", "");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body()).contains("invalid-characters");
    }

    private static String unique() {
        return "h" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
