package dev.bulwark.social.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.events.Contracts;
import dev.bulwark.social.SocialApi;
import dev.bulwark.social.SocialApi.Response;
import dev.bulwark.social.SocialApplication;
import dev.bulwark.social.chat.SseClient.Event;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.RealInfrastructureInitializer;

/**
 * Guild chat on two instances of the service sharing one database, as behind a load balancer:
 * what is posted on one reaches streams on the other, streams resume after Last-Event-ID, and
 * leaving or being kicked ends a member's streams everywhere.
 */
@IntegrationTest
class GuildChatTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The second instance, started once for the class. */
    private static ConfigurableApplicationContext other;
    private static int otherPort;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    SocialApi api;
    SocialApi otherApi;
    UUID leader;
    UUID member;
    UUID guild;

    @BeforeEach
    void guildWithAMember() {
        if (other == null) {
            // Kafka listeners stay off on the second instance: chat fans out through PostgreSQL,
            // and a second consumer in the group would only make the other tests wait for rebalances.
            other = new SpringApplicationBuilder(SocialApplication.class)
                    .initializers(new RealInfrastructureInitializer())
                    // Arguments, not default properties: application.yaml's port would win over those.
                    .run("--server.port=0", "--spring.kafka.listener.auto-startup=false");
            otherPort = Integer.parseInt(other.getEnvironment().getProperty("local.server.port"));
        }
        api = new SocialApi(port, jdbc);
        otherApi = new SocialApi(otherPort, jdbc);
        leader = UUID.randomUUID();
        member = UUID.randomUUID();
        guild = api.createGuild(leader, SocialApi.uniqueName("Chat"));
        assertThat(api.call(member, POST, "/api/v1/guilds/{g}/members", Map.of("playerId", member), guild).status())
                .isEqualTo(201);
    }

    @AfterAll
    static void stopTheOtherInstance() {
        if (other != null) {
            other.close();
            other = null;
        }
    }

    @Test
    void aMessagePostedOnOneInstanceReachesAStreamOnTheOther() {
        try (SseClient stream = SseClient.open(otherPort, guild, member, null)) {
            assertThat(stream.status()).isEqualTo(200);

            Response posted = post(api, leader, "  hello from A  ");
            assertThat(posted.status()).isEqualTo(201);

            Event event = stream.next(1, WAIT).getFirst();
            assertThat(event.name()).isEqualTo("message");
            assertThat(event.id()).isEqualTo(posted.body().get("id").asString());
            var message = Contracts.MAPPER.readTree(event.data());
            assertThat(message.get("text").asString()).isEqualTo("hello from A");
            assertThat(message.get("playerId").asString()).isEqualTo(leader.toString());

            post(otherApi, member, "and back from B");
            assertThat(stream.next(1, WAIT).getFirst().data()).contains("and back from B");
        }
    }

    @Test
    void concurrentPostsOnBothInstancesArriveOnceEachInOrderWithoutGaps() throws Exception {
        List<UUID> posters = new java.util.ArrayList<>(List.of(leader, member));
        for (int i = 0; i < 2; i++) {
            UUID player = UUID.randomUUID();
            api.call(player, POST, "/api/v1/guilds/{g}/members", Map.of("playerId", player), guild);
            posters.add(player);
        }
        try (SseClient stream = SseClient.open(otherPort, guild, leader, null);
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<Integer>> posts = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                UUID author = posters.get(i % 4);
                SocialApi on = i % 2 == 0 ? api : otherApi;
                int n = i;
                posts.add(pool.submit(() -> post(on, author, "burst " + n).status()));
            }
            for (var p : posts) {
                assertThat(p.get()).isEqualTo(201);
            }
            List<String> ids = stream.next(16, WAIT).stream().map(Event::id).toList();
            assertThat(ids).containsExactlyElementsOf(
                    java.util.stream.IntStream.rangeClosed(1, 16).mapToObj(Integer::toString).toList());
            assertThat(stream.next(Duration.ofMillis(500))).as("nothing twice").isNull();
        }
    }

    @Test
    void aStreamResumedAfterLastEventIdGetsExactlyTheMissedMessages() {
        List<String> ids = List.of(1, 2, 3, 4, 5).stream()
                .map(i -> post(i % 2 == 0 ? otherApi : api, leader, "message " + i).body().get("id").asString())
                .toList();

        try (SseClient stream = SseClient.open(port, guild, member, Long.parseLong(ids.get(1)))) {
            List<Event> replayed = stream.next(3, WAIT);
            assertThat(replayed).extracting(Event::id).containsExactly(ids.get(2), ids.get(3), ids.get(4));
            assertThat(replayed.getLast().data()).contains("message 5");

            String live = post(otherApi, member, "live").body().get("id").asString();
            assertThat(stream.next(1, WAIT)).extracting(Event::id).containsExactly(live);
            assertThat(stream.next(Duration.ofMillis(500))).as("nothing twice").isNull();
        }
    }

    @Test
    void aLastEventIdBeyondTheLatestMessageResumesFromTheLatest() {
        post(api, leader, "before");
        try (SseClient stream = SseClient.open(port, guild, member, 999_999L)) {
            String live = post(otherApi, leader, "after").body().get("id").asString();
            assertThat(stream.next(1, WAIT)).extracting(Event::id).containsExactly(live);
        }
    }

    @Test
    void kickingAMemberEndsTheirStreamOnEveryInstance() {
        try (SseClient onA = SseClient.open(port, guild, member, null);
                SseClient onB = SseClient.open(otherPort, guild, member, null);
                SseClient leaderOnB = SseClient.open(otherPort, guild, leader, null)) {
            assertThat(List.of(onA.status(), onB.status(), leaderOnB.status())).containsOnly(200);

            assertThat(api.call(leader, DELETE, "/api/v1/guilds/{g}/members/{p}", null, guild, member).status())
                    .isEqualTo(204);

            assertThat(onA.next(2, WAIT)).extracting(Event::name).contains("closed");
            assertThat(onA.endsWithin(WAIT)).isTrue();
            assertThat(onB.endsWithin(WAIT)).isTrue();
            post(api, leader, "still here");
            assertThat(leaderOnB.next(1, WAIT)).extracting(Event::name).containsExactly("message");
        }
        try (SseClient again = SseClient.open(port, guild, member, null)) {
            assertThat(again.status()).as("a former member").isEqualTo(403);
        }
    }

    @Test
    void leavingEndsTheStream() {
        try (SseClient stream = SseClient.open(otherPort, guild, member, null)) {
            api.call(member, DELETE, "/api/v1/guilds/{g}/members/{p}", null, guild, member);
            assertThat(stream.endsWithin(WAIT)).isTrue();
        }
    }

    @Test
    void nonMembersAndUnknownGuildsAreRefusedAsProblemsAndNothingIsStored() {
        UUID outsider = UUID.randomUUID();
        UUID noGuild = UUID.randomUUID();
        assertRefused(post(api, outsider, "let me in"), 403, "not-a-member");
        assertRefused(api.call(outsider, GET, "/api/v1/guilds/{g}/messages", null, guild), 403, "not-a-member");
        assertRefused(api.call(member, POST, "/api/v1/guilds/{g}/messages", Map.of("text", "x"), noGuild), 404, "not-found");
        assertRefused(api.call(member, GET, "/api/v1/guilds/{g}/messages", null, noGuild), 404, "not-found");
        try (SseClient stream = SseClient.open(port, guild, outsider, null)) {
            assertThat(stream.status()).isEqualTo(403);
            assertThat(stream.contentType()).startsWith("application/problem+json");
        }
        try (SseClient stream = SseClient.open(port, noGuild, member, null)) {
            assertThat(stream.status()).isEqualTo(404);
            assertThat(stream.contentType()).startsWith("application/problem+json");
        }
        assertThat(messages(guild)).isZero();
        assertThat(messages(noGuild)).isZero();
        assertThat(latestNumber()).as("no message number taken").isZero();
    }

    @Test
    void emptyBlankAndOverlongMessagesAreRefusedAsProblemsAndNothingIsStored() {
        List<String> refused = List.of("", "   ", " \t\n ", "x".repeat(501), "x".repeat(10_000),
                " " + "y".repeat(10_000) + " ", "\u00e9".repeat(501));
        for (String text : refused) {
            Response answer = post(api, leader, text);
            assertThat(answer.status()).as("%d characters", text.length()).isEqualTo(400);
            assertThat(answer.problemType()).isEqualTo("invalid-message");
        }
        Response noText = api.call(leader, POST, "/api/v1/guilds/{g}/messages", Map.of(), guild);
        assertThat(noText.status()).isEqualTo(400);
        assertThat(noText.problemType()).isEqualTo("invalid-request");
        assertThat(messages(guild)).isZero();
        assertThat(latestNumber()).as("no message number taken").isZero();

        Response longest = post(api, leader, " " + "x".repeat(500) + " ");
        assertThat(longest.status()).as("refusals took nothing from the posting budget of 5").isEqualTo(201);
        assertThat(longest.body().get("text").asString()).hasSize(500);
        assertThat(messages(guild)).isEqualTo(1);
    }

    @Test
    void historyIsNewestFirstAndPagesBackwards() {
        for (int i = 1; i <= 4; i++) {
            post(api, leader, "leader " + i);
            post(api, member, "member " + i);
        }
        Response first = api.call(member, GET, "/api/v1/guilds/{g}/messages?limit=3", null, guild);
        assertThat(SocialApi.strings(first.body(), "text")).containsExactly("member 4", "leader 4", "member 3");
        long oldest = first.body().get(2).get("id").asLong();
        Response second = api.call(member, GET, "/api/v1/guilds/{g}/messages?before={b}&limit=10", null, guild, oldest);
        assertThat(SocialApi.strings(second.body(), "text"))
                .containsExactly("leader 3", "member 2", "leader 2", "member 1", "leader 1");
        assertThat(api.call(member, GET, "/api/v1/guilds/{g}/messages?limit=0", null, guild).status()).isEqualTo(400);
    }

    @Test
    void thePostingLimitHoldsAcrossInstances() {
        for (int i = 1; i <= 5; i++) {
            assertThat(post(i % 2 == 0 ? otherApi : api, member, "spread " + i).status()).isEqualTo(201);
        }
        assertThat(post(api, member, "spread 6").status()).isEqualTo(429);
        Response limited = post(otherApi, member, "spread 6");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.problemType()).isEqualTo("rate-limited");
        assertThat(limited.headers().getFirst("Retry-After")).isNotNull();
    }

    @Test
    void postingTooFastIs429WithRetryAfter() {
        for (int i = 1; i <= 5; i++) {
            assertThat(post(api, member, "spam " + i).status()).isEqualTo(201);
        }
        Response limited = post(api, member, "spam 6");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.problemType()).isEqualTo("rate-limited");
        assertThat(Integer.parseInt(limited.headers().getFirst("Retry-After"))).isBetween(1, 10);
        assertThat(post(api, leader, "others may still post").status()).isEqualTo(201);
        assertThat(api.call(member, GET, "/api/v1/guilds/{g}/messages", null, guild).body().size()).isEqualTo(6);
    }

    private int messages(UUID guildId) {
        return jdbc.sql("SELECT count(*) FROM guild_message WHERE guild_id = :g").param("g", guildId)
                .query(Integer.class).single();
    }

    private long latestNumber() {
        return jdbc.sql("SELECT last_message_seq FROM guild WHERE guild_id = :g").param("g", guild)
                .query(Long.class).single();
    }

    private static void assertRefused(Response response, int status, String problemType) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.problemType()).isEqualTo(problemType);
    }

    private Response post(SocialApi on, UUID author, String text) {
        return on.call(author, POST, "/api/v1/guilds/{g}/messages", Map.of("text", text), guild);
    }
}
