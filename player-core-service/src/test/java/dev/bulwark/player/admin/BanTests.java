package dev.bulwark.player.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Payload;
import dev.bulwark.events.Topics;
import dev.bulwark.events.player.PlayerBanned;
import dev.bulwark.events.player.PlayerUnbanned;
import dev.bulwark.player.Api;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;
import dev.bulwark.testsupport.TestKeys;

/**
 * A ban stops the player's tokens at once in player-core, and in every service through the
 * platform's ban list, which the platform's listener feeds from {@code player.events} (the same
 * code runs in the economy and social).
 */
@IntegrationTest
class BanTests {

    @LocalServerPort
    int port;

    Api api;
    String admin;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        admin = api.clientToken("ops");
    }

    @Test
    void aBannedPlayersTokensRefreshAndLoginStopWorkingUntilTheBanIsLifted() {
        Api.Response registered = api.register();
        UUID playerId = UUID.fromString(registered.text("playerId"));
        String path = "/api/v1/players/" + playerId;
        String token = registered.text("accessToken");
        assertThat(api.get(path, token).status()).isEqualTo(200);

        Api.Response banned = api.call(HttpMethod.POST, "/api/v1/admin/players/" + playerId + "/ban", admin, Map.of(),
                Map.of("reason", "gold duplication", "until", Instant.now().plusSeconds(3600).toString()));

        assertThat(banned.status()).isEqualTo(204);
        Api.Response refused = api.get(path, token);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.problem()).isEqualTo("unauthorized");
        assertThat(api.get(path, TestKeys.primary().playerToken(playerId)).status()).as("a freshly minted token")
                .isEqualTo(401);
        assertThat(api.post("/api/v1/auth/refresh", Map.of("refreshToken", registered.text("refreshToken"))).status())
                .isEqualTo(401);
        String username = api.get(path, admin).text("username");
        Api.Response login = api.post("/api/v1/auth/login", Map.of("username", username, "password", "correct horse battery"));
        assertThat(login.status()).as("the right password, but the account may not sign in").isEqualTo(403);
        assertThat(login.problem()).isEqualTo("banned");
        assertThat(api.get(path, admin).status()).as("others still see the player").isEqualTo(200);
        assertThat(Api.events(playerId, "PlayerBanned", 1)).singleElement()
                .satisfies(e -> assertThat(((PlayerBanned) Contracts.payload(e)).reason()).isEqualTo("gold duplication"));

        assertThat(api.call(HttpMethod.DELETE, "/api/v1/admin/players/" + playerId + "/ban", admin, Map.of(), null)
                .status()).isEqualTo(204);
        assertThat(Api.events(playerId, "PlayerUnbanned", 1)).hasSize(1);
        assertThat(api.get(path, token).status()).as("a token issued before the ban stays dead").isEqualTo(401);
        assertThat(api.post("/api/v1/auth/refresh", Map.of("refreshToken", registered.text("refreshToken"))).status())
                .isEqualTo(401);
        // Token times are whole seconds: one issued within the ban's second counts as before it.
        await().atMost(Duration.ofSeconds(5)).until(() -> api.get(path, login(registered)).status() == 200);
    }

    @Test
    void unbanningDoesNotReviveTokensIssuedBeforeTheBan() {
        Api.Response registered = api.register();
        UUID playerId = UUID.fromString(registered.text("playerId"));
        String path = "/api/v1/players/" + playerId;
        String stolen = registered.text("accessToken");

        api.call(HttpMethod.POST, "/api/v1/admin/players/" + playerId + "/ban", admin, Map.of(),
                Map.of("reason", "account takeover"));
        api.call(HttpMethod.DELETE, "/api/v1/admin/players/" + playerId + "/ban", admin, Map.of(), null);

        assertThat(api.get(path, stolen).status()).isEqualTo(401);
        assertThat(api.get(path, TestKeys.primary().playerToken(playerId, Instant.now().minusSeconds(5))).status())
                .as("any token from before the ban").isEqualTo(401);
    }

    @Test
    void aBanWithABlankUntilIsRefusedNotPermanent() {
        Api.Response registered = api.register();
        String playerId = registered.text("playerId");

        for (String until : new String[] { "", " " }) {
            Api.Response refused = api.call(HttpMethod.POST, "/api/v1/admin/players/" + playerId + "/ban", admin,
                    Map.of(), Map.of("until", until, "reason", "blank until"));
            refused.isProblem(400, "malformed-request");
        }
        assertThat(api.get("/api/v1/players/" + playerId, registered.text("accessToken")).status())
                .as("not banned").isEqualTo(200);
    }

    private String login(Api.Response registered) {
        String username = api.get("/api/v1/players/" + registered.text("playerId"), admin).text("username");
        return api.post("/api/v1/auth/login", Map.of("username", username, "password", "correct horse battery"))
                .text("accessToken");
    }

    @Test
    void theBanListOfEveryServiceIsFedFromPlayerEventsAndAnOlderEventCannotUndoANewerOne() {
        UUID playerId = UUID.randomUUID();
        String token = TestKeys.primary().playerToken(playerId);
        String path = "/api/v1/players/" + playerId;
        assertThat(api.get(path, token).status()).as("unknown player, valid token").isEqualTo(404);

        publish(new PlayerBanned(playerId, null, "from another instance"), playerId, 7);
        await().atMost(Duration.ofSeconds(20)).until(() -> api.get(path, token).status() == 401);

        publish(new PlayerUnbanned(playerId), playerId, 6);
        publish(new PlayerBanned(playerId, Instant.now().minusSeconds(1), "an expired ban"), playerId, 9);
        await().atMost(Duration.ofSeconds(20)).until(() -> api.get(path, token).status() == 404);
        publish(new PlayerBanned(playerId, null, "older than the expired ban"), playerId, 8);
        publish(new PlayerUnbanned(playerId), playerId, 10);
        publish(new PlayerBanned(playerId, null, "redelivered old ban"), playerId, 7);

        // Sent last on the same partition: once it is applied, everything before it was too.
        UUID marker = UUID.randomUUID();
        publish(new PlayerBanned(marker, null, "marker"), playerId, 11);
        String markerToken = TestKeys.primary().playerToken(marker);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> api.get("/api/v1/players/" + marker, markerToken).status() == 401);
        assertThat(api.get(path, token).status()).isEqualTo(404);
    }

    @Test
    void banningAnUnknownPlayerIs404AndABanEndingInThePastIs400() {
        Api.Response registered = api.register();
        String playerId = registered.text("playerId");

        assertThat(api.call(HttpMethod.POST, "/api/v1/admin/players/" + UUID.randomUUID() + "/ban", admin, Map.of(),
                Map.of("reason", "nobody")).status()).isEqualTo(404);
        assertThat(api.call(HttpMethod.POST, "/api/v1/admin/players/" + playerId + "/ban", admin, Map.of(),
                Map.of("until", "2020-01-01T00:00:00Z", "reason", "past")).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/players/" + playerId, registered.text("accessToken")).status()).isEqualTo(200);
    }

    private static void publish(Payload payload, UUID playerId, long sequence) {
        // An hour ago: this test is about the order of decisions, not the refusal of tokens issued
        // before a ban (the token it checks with was issued after all of them).
        Envelope envelope = Contracts.wrap(payload, playerId.toString(), sequence,
                Instant.now().minusSeconds(3600), Map.of());
        TestInfrastructure.get().send(Topics.PLAYER_EVENTS.name(), playerId.toString(), Contracts.toBytes(envelope));
    }
}
