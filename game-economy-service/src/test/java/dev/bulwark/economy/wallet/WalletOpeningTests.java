package dev.bulwark.economy.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Topics;
import dev.bulwark.events.player.PlayerRegistered;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;
import dev.bulwark.testsupport.TestKeys;
import tools.jackson.databind.JsonNode;

/**
 * A {@code PlayerRegistered} event, exactly as player-core writes it, opens the wallet with the
 * starter grant exactly once, and only the player (or a trusted caller) can read it.
 */
@IntegrationTest
class WalletOpeningTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aRegisteredPlayerGetsExactlyTheStarterGrantEvenWhenTheEventArrivesTwice() {
        UUID player = UUID.randomUUID();
        Envelope registered = registered(player);

        send(registered);
        send(registered);

        await().atMost(Duration.ofSeconds(20)).until(() -> status(player, TestKeys.primary().playerToken(player)) == 200);
        JsonNode wallet = client(TestKeys.primary().playerToken(player)).get().uri("/api/v1/players/{id}/wallet", player)
                .retrieve().body(JsonNode.class);
        assertThat(wallet.get("balances").get("GOLD").asLong()).isEqualTo(1000);
        assertThat(wallet.get("balances").get("GEM").asLong()).isEqualTo(10);
        assertThat(wallet.get("held").get("GOLD").asLong()).isZero();

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> ledgerTypes(player).equals("WalletOpened,CurrencyGranted"));
    }

    @Test
    void onlyThePlayerAndTrustedCallersReadAWallet() {
        UUID player = UUID.randomUUID();
        send(registered(player));
        await().atMost(Duration.ofSeconds(20)).until(() -> status(player, TestKeys.primary().playerToken(player)) == 200);

        TestKeys keys = TestKeys.primary();
        assertThat(status(player, keys.playerToken(UUID.randomUUID()))).isEqualTo(403);
        assertThat(status(player, null)).isEqualTo(401);
        assertThat(status(player, TestKeys.other().playerToken(player))).isEqualTo(401);
        assertThat(status(player, keys.token(player.toString(), "PLAYER", TestKeys.ISSUER, Duration.ofMinutes(-5))))
                .isEqualTo(401);
        assertThat(status(player, keys.token(player.toString(), "PLAYER", "http://evil.example", Duration.ofMinutes(5))))
                .isEqualTo(401);
        assertThat(status(player, keys.gameServerToken("gs-eu-1"))).isEqualTo(200);
        assertThat(status(player, keys.adminToken("ops"))).isEqualTo(200);
    }

    @Test
    void refusalsAreProblemDetails() {
        UUID nobody = UUID.randomUUID();
        var response = client(TestKeys.primary().playerToken(nobody)).get().uri("/api/v1/players/{id}/wallet", nobody)
                .exchange((req, res) -> new Object[] { res.getStatusCode(), res.getHeaders().getContentType(),
                        res.bodyTo(JsonNode.class) });
        assertThat(response[0]).isEqualTo(HttpStatusCode.valueOf(404));
        assertThat(((MediaType) response[1]).isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        assertThat(((JsonNode) response[2]).get("type").asString()).isEqualTo("https://bulwark.dev/problems/not-found");
    }

    private String ledgerTypes(UUID player) {
        return String.join(",", TestPlayers.ledgerTypes(jdbc, player));
    }

    private int status(UUID player, String token) {
        return client(token).get().uri("/api/v1/players/{id}/wallet", player)
                .exchange((req, res) -> res.getStatusCode().value());
    }

    private RestClient client(String token) {
        RestClient.Builder builder = RestClient.builder().baseUrl("http://localhost:" + port);
        if (token != null) {
            builder.defaultHeader("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    private static Envelope registered(UUID player) {
        return Contracts.wrap(new PlayerRegistered(player, "p" + player.toString().substring(0, 8), "P", Instant.now()),
                player.toString(), 1, Instant.now(), Map.of());
    }

    private static void send(Envelope envelope) {
        TestInfrastructure.get().send(Topics.PLAYER_EVENTS.name(), envelope.aggregateId(), Contracts.toBytes(envelope));
    }
}
