package dev.bulwark.social.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Topics;
import dev.bulwark.events.social.GuildRoleChanged;
import dev.bulwark.social.SocialApi;
import dev.bulwark.social.SocialApi.Response;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;
import dev.bulwark.testsupport.TestKeys;
import tools.jackson.databind.JsonNode;

/** The inbox through the HTTP API, fed by real Kafka events, on real PostgreSQL. */
@IntegrationTest
class NotificationTests {

    private static final String ADMIN = TestKeys.primary().adminToken("ops-notifications");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    SocialApi api;

    @BeforeEach
    void api() {
        api = new SocialApi(port, jdbc);
    }

    @Test
    void aFriendRequestAndItsAcceptanceReachTheRightInboxesWhichOnlyTheirOwnerReads() {
        List<UUID> players = api.knownPlayers(2);
        UUID asker = players.get(0);
        UUID asked = players.get(1);
        assertThat(api.call(asker, POST, "/api/v1/players/{p}/friends", Map.of("friendId", asked), asker).status()).isEqualTo(200);
        JsonNode request = await().atMost(Duration.ofSeconds(20)).until(() -> inbox(asked, false), page -> page.get("notifications").size() == 1)
                .get("notifications").get(0);
        assertThat(request.get("kind").asString()).isEqualTo("FRIEND_REQUEST");
        assertThat(request.get("subjectId").asString()).isEqualTo(asker.toString());
        assertThat(request.get("read").asBoolean()).isFalse();
        assertThat(api.call(asker, GET, "/api/v1/players/{p}/notifications", null, asked).status())
                .as("another player's inbox").isEqualTo(403);
        assertThat(api.call(asker, POST, "/api/v1/players/{p}/notifications/{n}/read", null, asker,
                request.get("notificationId").asString()).status()).as("someone else's notification").isEqualTo(404);

        assertThat(api.call(asked, POST, "/api/v1/players/{p}/friends", Map.of("friendId", asker), asked).body().get("state")
                .asString()).isEqualTo("FRIEND");
        JsonNode accepted = await().atMost(Duration.ofSeconds(20)).until(() -> inbox(asker, false),
                page -> page.get("notifications").size() == 1).get("notifications").get(0);
        assertThat(accepted.get("kind").asString()).isEqualTo("FRIEND_ACCEPTED");
        assertThat(accepted.get("subjectId").asString()).isEqualTo(asked.toString());
        // the side that accepted gets no news of its own act; its request counts as answered
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox(asked, true).get("unread").asLong() == 0);
        assertThat(inbox(asked, false).get("notifications")).hasSize(1);
    }

    @Test
    void theInboxPagesNewestFirstAndKeepsReadMarks() {
        UUID player = UUID.randomUUID();
        for (int i = 1; i <= 5; i++) {
            assertThat(message(player, "message " + i).status()).isEqualTo(201);
        }
        JsonNode first = api.call(player, GET, "/api/v1/players/{p}/notifications?limit=2", null, player).body();
        assertThat(SocialApi.strings(first.get("notifications"), "text")).containsExactly("message 5", "message 4");
        assertThat(first.get("unread").asLong()).isEqualTo(5);
        JsonNode second = api.call(player, GET, "/api/v1/players/{p}/notifications?limit=2&cursor={c}", null, player,
                first.get("nextCursor").asString()).body();
        assertThat(SocialApi.strings(second.get("notifications"), "text")).containsExactly("message 3", "message 2");
        String id = second.get("notifications").get(0).get("notificationId").asString();
        assertThat(api.call(player, POST, "/api/v1/players/{p}/notifications/{n}/read", null, player, id).status()).isEqualTo(204);
        assertThat(api.call(player, POST, "/api/v1/players/{p}/notifications/{n}/read", null, player, id).status())
                .as("read again").isEqualTo(204);
        JsonNode unread = inbox(player, true);
        assertThat(unread.get("unread").asLong()).isEqualTo(4);
        assertThat(SocialApi.strings(unread.get("notifications"), "text")).doesNotContain("message 3");
        assertThat(api.call(player, GET, "/api/v1/players/{p}/notifications?cursor=nonsense", null, player).problemType())
                .isEqualTo("invalid-request");
    }

    /**
     * The same event delivered again after the consumer stopped and started (as after a restart
     * of social or a rebalance, when offsets were not committed) adds nothing; the next event
     * still arrives.
     */
    @Test
    void oneNotificationPerEventAcrossAConsumerRestart() {
        UUID player = UUID.randomUUID();
        Envelope promoted = roleChanged(player, "OFFICER");
        send(promoted);
        await().atMost(Duration.ofSeconds(20)).until(() -> count(player) == 1);
        MessageListenerContainer consumer = listeners.getListenerContainer(NotificationEvents.LISTENER);
        consumer.stop();
        try {
            send(promoted);
            send(promoted);
        } finally {
            consumer.start();
        }
        send(roleChanged(player, "MEMBER"));
        await().atMost(Duration.ofSeconds(30)).until(() -> count(player) == 2);
        assertThat(SocialApi.strings(inbox(player, false).get("notifications"), "text")).containsExactly("MEMBER", "OFFICER");
    }

    /** Events sent to Kafka one after another reach the player's open stream; p99 of send → arrival within 1 s. */
    @Test
    void notificationsReachTheOpenStreamWithinOneSecondAtP99() throws Exception {
        UUID player = UUID.randomUUID();
        int events = 30;
        Map<String, Long> sentAt = new HashMap<>();
        List<Long> latencies = new ArrayList<>();
        try (PlayerStream stream = PlayerStream.open(port, player)) {
            for (int i = 0; i < events; i++) {
                Envelope event = roleChanged(player, "R" + i);
                sentAt.put("R" + i, System.nanoTime());
                send(event);
                PlayerStream.Event arrived = stream.next(Duration.ofSeconds(5));
                assertThat(arrived).as("notification " + i + " on the stream").isNotNull();
                String text = Contracts.MAPPER.readTree(arrived.data()).get("text").asString();
                latencies.add(arrived.arrivedNanos() - sentAt.get(text));
            }
        }
        latencies.sort(null);
        long p99 = latencies.get((int) Math.ceil(0.99 * latencies.size()) - 1);
        System.out.printf("[notifications] send -> stream: p50 %.1f ms, p99 %.1f ms over %d events%n",
                latencies.get(latencies.size() / 2) / 1e6, p99 / 1e6, events);
        assertThat(Duration.ofNanos(p99)).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    private Response message(UUID player, String text) {
        return api.call(ADMIN, POST, "/api/v1/admin/players/{p}/notifications", Map.of("text", text), player);
    }

    private JsonNode inbox(UUID player, boolean unread) {
        return api.call(player, GET, "/api/v1/players/{p}/notifications?unread=" + unread, null, player).body();
    }

    private long count(UUID player) {
        return jdbc.sql("SELECT count(*) FROM notification WHERE player_id = :p").param("p", player).query(Long.class).single();
    }

    private static Envelope roleChanged(UUID player, String role) {
        UUID guild = UUID.randomUUID();
        return Contracts.wrap(new GuildRoleChanged(guild, player, role, Instant.now()), guild.toString(), 1, Instant.now(), Map.of());
    }

    private static void send(Envelope envelope) {
        TestInfrastructure.get().send(Topics.SOCIAL_EVENTS.name(), envelope.aggregateId(), Contracts.toBytes(envelope));
    }
}
