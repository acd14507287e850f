package dev.bulwark.player.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import dev.bulwark.player.Api;
import dev.bulwark.testsupport.IntegrationTest;

@IntegrationTest
class AccountTests {

    private static final String PASSWORD = "correct horse battery";

    @LocalServerPort
    int port;

    @Autowired
    JwtDecoder decoder;

    @Autowired
    JdbcClient jdbc;

    Api api;

    @BeforeEach
    void api() {
        api = new Api(port);
    }

    @Test
    void aRefreshTokenRotatesAndIsStoredOnlyAsAHash() {
        Api.Response registered = api.register();
        assertThat(registered.status()).isEqualTo(201);
        String first = registered.text("refreshToken");

        Api.Response refreshed = refresh(first);

        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.text("playerId")).isEqualTo(registered.text("playerId"));
        assertThat(refreshed.text("refreshToken")).isNotEqualTo(first);
        assertThat(decoder.decode(refreshed.text("accessToken")).getSubject()).isEqualTo(registered.text("playerId"));
        assertThat(jdbc.sql("SELECT count(*) FROM refresh_token WHERE encode(token_hash, 'escape') LIKE :t")
                .param("t", "%" + first + "%").query(Integer.class).single()).isZero();
        assertThat(refresh(refreshed.text("refreshToken")).status()).isEqualTo(200);
    }

    @Test
    void aReusedRefreshTokenIsRefusedAndRevokesItsWholeFamily() {
        String first = api.register().text("refreshToken");
        String second = refresh(first).text("refreshToken");

        Api.Response reused = refresh(first);

        assertThat(reused.status()).isEqualTo(401);
        assertThat(reused.problem()).isEqualTo("reused-refresh-token");
        assertThat(refresh(second).status()).as("the thief's or the owner's next token").isEqualTo(401);
        assertThat(refresh("made-up-token").problem()).isEqualTo("invalid-refresh-token");
    }

    @Test
    void loginIsThrottledPerUsernameAndASuccessResetsTheCount() {
        Api.Response registered = api.register();
        String username = jdbc.sql("SELECT username FROM player WHERE player_id = :id")
                .param("id", UUID.fromString(registered.text("playerId"))).query(String.class).single();

        for (int i = 0; i < 4; i++) {
            assertThat(login(username, "wrong password " + i).status()).isEqualTo(401);
        }
        assertThat(login(username.toUpperCase(), PASSWORD).status()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(login(username, "wrong password " + i).status()).isEqualTo(401);
        }

        Api.Response throttled = login(username, PASSWORD);

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.problem()).isEqualTo("too-many-login-attempts");
        assertThat(Long.parseLong(throttled.headers().getFirst("Retry-After"))).isBetween(1L, 15 * 60L);
        assertThat(throttled.headers().getContentType().toString()).isEqualTo("application/problem+json");
    }

    @Test
    void configuredClientsGetTokensWithTheirRoleAndTheirIdAsSubject() {
        Jwt server = decoder.decode(api.clientToken("gs-eu-1"));
        Jwt operator = decoder.decode(api.clientToken("ops"));

        assertThat(server.getSubject()).isEqualTo("gs-eu-1");
        assertThat(server.getClaimAsStringList("roles")).containsExactly("GAME_SERVER");
        assertThat(operator.getSubject()).isEqualTo("ops");
        assertThat(operator.getClaimAsStringList("roles")).containsExactly("ADMIN");
        assertThat(api.post("/api/v1/auth/token", Map.of("clientId", "gs-eu-1", "clientSecret", "dev-secret-gs-eu-2"))
                .status()).isEqualTo(401);
        assertThat(api.post("/api/v1/auth/token", Map.of("clientId", "gs-xx-9", "clientSecret", "dev-secret-gs-xx-9"))
                .problem()).isEqualTo("bad-client-credentials");
    }

    @Test
    void registrationChoosesACharacterClassAndRefusesAnUnknownOne() {
        Api.Response mage = api.post("/api/v1/auth/register", Map.of("username", "m" + suffix(), "password", PASSWORD,
                "characterClass", "MAGE"));
        Api.Response unknown = api.post("/api/v1/auth/register", Map.of("username", "k" + suffix(), "password", PASSWORD,
                "characterClass", "DRAGON"));

        assertThat(mage.status()).isEqualTo(201);
        assertThat(api.get("/api/v1/players/" + mage.text("playerId"), mage.text("accessToken")).text("characterClass"))
                .isEqualTo("MAGE");
        assertThat(unknown.status()).isEqualTo(400);
    }

    @Test
    void aPasswordThatContainsTheUsernameIsRefused() {
        String username = "w" + suffix();

        Api.Response weak = api.post("/api/v1/auth/register", Map.of("username", username,
                "password", "my " + username.toUpperCase() + " pass"));

        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.problem()).isEqualTo("weak-password");
    }

    private Api.Response refresh(String token) {
        return api.post("/api/v1/auth/refresh", Map.of("refreshToken", token));
    }

    private Api.Response login(String username, String password) {
        return api.post("/api/v1/auth/login", Map.of("username", username, "password", password));
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
