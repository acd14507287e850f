package dev.bulwark.social.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Topics;
import dev.bulwark.events.player.AuthorityChanged;
import dev.bulwark.events.player.AuthorityChanged.Change;
import dev.bulwark.social.SocialApi;
import dev.bulwark.social.notification.PlayerStream;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;
import dev.bulwark.testsupport.TestKeys;

/** Presence from the player's live stream and game-server authority events, as friends and strangers see it. */
@IntegrationTest
class PresenceTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationContext context;

    SocialApi api;

    @BeforeEach
    void api() {
        api = new SocialApi(port, jdbc);
    }

    @Test
    void friendsSeeAPlayerOnlineAwayInGameAndOfflineAndStrangersSeeNothing() {
        List<UUID> players = api.knownPlayers(3);
        UUID player = players.get(0);
        UUID friend = players.get(1);
        UUID stranger = players.get(2);
        befriend(player, friend);
        assertThat(state(friend, player)).isEqualTo("OFFLINE");
        assertThat(api.call(friend, GET, "/api/v1/players/{p}/presence", null, player).body().get("lastSeen").isNull()).isTrue();
        try (PlayerStream stream = PlayerStream.open(port, player)) {
            assertThat(state(friend, player)).isEqualTo("ONLINE");
            assertThat(state(player, player)).as("the player themselves").isEqualTo("ONLINE");
            assertThat(api.call(stranger, GET, "/api/v1/players/{p}/presence", null, player).status()).isEqualTo(403);
            assertThat(api.call(TestKeys.primary().gameServerToken("gs-presence"), GET, "/api/v1/players/{p}/presence", null,
                    player).status()).isEqualTo(403);
            assertThat(api.call(stranger, GET, "/api/v1/players/{p}/presence/friends", null, player).status()).isEqualTo(403);
            assertThat(api.call(friend, GET, "/api/v1/players/{p}/presence/friends", null, friend).body().get(0)
                    .get("state").asString()).as("the friend list's presence").isEqualTo("ONLINE");

            assertThat(api.call(player, PUT, "/api/v1/players/{p}/presence", Map.of("away", true), player).status()).isEqualTo(200);
            assertThat(state(friend, player)).isEqualTo("AWAY");
        }
        // the server notices the closed stream at its next heartbeat (a second in tests)
        await().atMost(Duration.ofSeconds(10)).until(() -> state(friend, player).equals("OFFLINE"));
        assertThat(api.call(friend, GET, "/api/v1/players/{p}/presence", null, player).body().get("lastSeen").isNull()).isFalse();

        authority(player, Change.CLAIMED, "gs-presence", 1, Instant.now().plusSeconds(60));
        await().atMost(Duration.ofSeconds(20)).until(() -> state(friend, player).equals("IN_GAME"));
        authority(player, Change.RELEASED, null, 1, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(friend, player).equals("OFFLINE"));
        UUID late = authority(player, Change.CLAIMED, "gs-old", 0, Instant.now().plusSeconds(60)).eventId();
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
                "SELECT count(*) FROM processed_message WHERE consumer = 'social.presence' AND event_id = :id")
                .param("id", late).query(Long.class).single() == 1);
        assertThat(state(friend, player)).as("a late claim of an older epoch changes nothing").isEqualTo("OFFLINE");
    }

    /** Stopping the streams (as a restart of social does) leaves the connected players online for the grace. */
    @Test
    void aRestartOfTheStreamsDoesNotShowConnectedPlayersOffline() {
        List<UUID> players = api.knownPlayers(2);
        UUID player = players.get(0);
        UUID friend = players.get(1);
        befriend(player, friend);
        SmartLifecycle streams = context.getBean("notificationStreams", SmartLifecycle.class);
        try (PlayerStream stream = PlayerStream.open(port, player)) {
            assertThat(state(friend, player)).isEqualTo("ONLINE");
            streams.stop();
            try {
                assertThat(state(friend, player)).as("right after the streams ended").isEqualTo("ONLINE");
            } finally {
                streams.start();
            }
        }
    }

    private String state(UUID viewer, UUID player) {
        return api.call(viewer, GET, "/api/v1/players/{p}/presence", null, player).body().get("state").asString();
    }

    private static Envelope authority(UUID player, Change change, String server, long epoch, Instant expiresAt) {
        Envelope envelope = Contracts.wrap(new AuthorityChanged(player, change, server, epoch, expiresAt), player.toString(),
                100 + epoch * 2 + (change == Change.RELEASED ? 1 : 0), Instant.now(), Map.of());
        TestInfrastructure.get().send(Topics.PLAYER_EVENTS.name(), player.toString(), Contracts.toBytes(envelope));
        return envelope;
    }

    private void befriend(UUID a, UUID b) {
        assertThat(api.call(a, POST, "/api/v1/players/{p}/friends", Map.of("friendId", b), a).status()).isEqualTo(200);
        assertThat(api.call(b, POST, "/api/v1/players/{p}/friends", Map.of("friendId", a), b).body().get("state")
                .asString()).isEqualTo("FRIEND");
    }
}
