package dev.bulwark.player.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.player.PlayerLeveledUp;
import dev.bulwark.player.Api;
import dev.bulwark.testsupport.IntegrationTest;

@IntegrationTest
class ProgressionTests {

    @LocalServerPort
    int port;

    Api api;
    UUID playerId;
    String playerToken;
    String server;
    String lease;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        Api.Response registered = api.register();
        playerId = UUID.fromString(registered.text("playerId"));
        playerToken = registered.text("accessToken");
        server = api.clientToken("gs-eu-1");
        lease = api.call(HttpMethod.POST, path("/authority"), server, Map.of(), null).text("lease");
    }

    @Test
    void aNewPlayerStartsAtLevelOneWithDefaultStatsAndAnETag() {
        Api.Response player = api.get(path(""), playerToken);

        assertThat(player.status()).isEqualTo(200);
        assertThat(player.body().get("level").asInt()).isEqualTo(1);
        assertThat(player.body().get("nextLevelAt").asLong()).isEqualTo(100);
        assertThat(player.body().get("characterClass").asString()).isEqualTo("ADVENTURER");
        assertThat(player.body().get("stats").get("hp").asInt()).isEqualTo(100);
        assertThat(player.headers().getETag()).isEqualTo("\"" + player.body().get("version").asLong() + "\"");
    }

    @Test
    void experienceLevelsUpByTheCurveAndPublishesPlayerLeveledUp() {
        Api.Response gained = experience(650);

        assertThat(gained.status()).isEqualTo(200);
        assertThat(gained.body().get("player").get("level").asInt()).isEqualTo(4);
        assertThat(experience(10).body().get("player").get("level").asInt()).isEqualTo(4);

        List<Envelope> events = Api.events(playerId, "PlayerLeveledUp", 1);
        assertThat(events).hasSize(1);
        assertThat((PlayerLeveledUp) Contracts.payload(events.getFirst()))
                .isEqualTo(new PlayerLeveledUp(playerId, 1, 4, 650));
    }

    @Test
    void statsAreReplacedWithinBoundsAndOutOfBoundsStatsChangeNothing() {
        Map<String, Integer> stats = Map.of("hp", 250, "mp", 0, "strength", 999, "agility", 1);
        assertThat(api.call(HttpMethod.PUT, path("/stats"), server, Map.of("Authority-Lease", lease), stats).status())
                .isEqualTo(200);

        for (Map<String, Integer> bad : List.of(Map.of("hp", 0, "mp", 0, "strength", 1, "agility", 1),
                Map.of("hp", 1, "mp", 10_000, "strength", 1, "agility", 1),
                Map.of("hp", 1, "mp", 0, "strength", 1000, "agility", 1),
                Map.of("hp", 1, "mp", 0, "strength", 1))) {
            Api.Response refused = api.call(HttpMethod.PUT, path("/stats"), server, Map.of("Authority-Lease", lease), bad);
            assertThat(refused.status()).as("%s", bad).isEqualTo(400);
        }

        assertThat(api.get(path(""), playerToken).body().get("stats").toString())
                .isEqualTo("{\"hp\":250,\"mp\":0,\"strength\":999,\"agility\":1}");
    }

    @Test
    void statsSentWithTheVersionReadLoseWith409WhenThePlayerChangedMeanwhile() {
        long version = api.get(path(""), playerToken).body().get("version").asLong();
        experience(10);

        Api.Response stale = api.call(HttpMethod.PUT, path("/stats"), server, Map.of("Authority-Lease", lease),
                Map.of("hp", 1, "mp", 1, "strength", 1, "agility", 1, "version", version));
        long current = api.get(path(""), playerToken).body().get("version").asLong();
        Api.Response fresh = api.call(HttpMethod.PUT, path("/stats"), server,
                Map.of("Authority-Lease", lease, "If-Match", "\"" + current + "\""),
                Map.of("hp", 2, "mp", 2, "strength", 2, "agility", 2));

        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.problem()).isEqualTo("concurrent-update");
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(fresh.body().get("stats").get("hp").asInt()).isEqualTo(2);
    }

    @Test
    void badExperienceAndStatsAreProblemsAndChangeNothing() {
        Api.Response before = api.get(path(""), playerToken);
        Map<String, String> leased = Map.of("Authority-Lease", lease);

        for (Object bad : List.of(Map.of("amount", 0), Map.of("amount", -5), Map.of("amount", 100_001),
                Map.of("amount", Long.MIN_VALUE), Map.of())) {
            api.call(HttpMethod.POST, path("/experience"), server, leased, bad).isProblem(400, "invalid-request");
        }
        api.call(HttpMethod.POST, path("/experience"), server, leased, Map.of("amount", 5, "bonus", 100))
                .isProblem(400, "malformed-request");
        api.call(HttpMethod.POST, path("/experience"), server, jsonBody(leased), "{\"amount\": 9223372036854775808}")
                .isProblem(400, "malformed-request");
        api.call(HttpMethod.POST, path("/experience"), server, jsonBody(leased), "{\"amount\": ")
                .isProblem(400, "malformed-request");

        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("hp", 0, "mp", 0, "strength", 1, "agility", 1),
                Map.of("hp", 10_000, "mp", 0, "strength", 1, "agility", 1),
                Map.of("hp", 1, "mp", -1, "strength", 1, "agility", 1),
                Map.of("hp", 1, "mp", 10_000, "strength", 1, "agility", 1),
                Map.of("hp", 1, "mp", 0, "strength", 1000, "agility", 1),
                Map.of("hp", 1, "mp", 0, "strength", 1, "agility", 0),
                Map.of("hp", 1, "mp", 0, "strength", 1))) {
            api.call(HttpMethod.PUT, path("/stats"), server, leased, bad).isProblem(400, "invalid-request");
        }
        api.call(HttpMethod.PUT, path("/stats"), server, leased,
                Map.of("hp", 1, "mp", 0, "strength", 1, "agility", 1, "luck", 99)).isProblem(400, "malformed-request");

        Api.Response after = api.get(path(""), playerToken);
        assertThat(after.body().get("experience").asLong()).isZero();
        assertThat(after.body().get("stats")).isEqualTo(before.body().get("stats"));
        assertThat(after.body().get("version").asLong()).isEqualTo(before.body().get("version").asLong());
    }

    private static Map<String, String> jsonBody(Map<String, String> headers) {
        Map<String, String> withType = new HashMap<>(headers);
        withType.put("Content-Type", "application/json");
        return withType;
    }

    @Test
    void settingsChangeUnderOptimisticVersioningAndAStaleVersionLosesWith409() {
        long version = api.get(path(""), playerToken).body().get("version").asLong();

        Api.Response first = patch(Map.of("If-Match", "\"" + version + "\""), Map.of("language", "de"));
        Api.Response second = patch(Map.of(), Map.of("avatar", "knight-2", "version", version));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("language").asString()).isEqualTo("de");
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.problem()).isEqualTo("concurrent-update");
        assertThat(patch(Map.of(), Map.of("avatar", "knight-2")).status()).isEqualTo(428);
        assertThat(patch(Map.of(), Map.of("language", "not a language", "version", version + 1)).status()).isEqualTo(400);
        assertThat(patch(Map.of(), Map.of("displayName", "Sneaky", "version", version + 1)).status())
                .as("the display name changes only through the name-change offer").isEqualTo(400);
        Api.Response after = api.get(path(""), playerToken);
        assertThat(after.body().get("avatar").isNull()).isTrue();
        assertThat(after.body().get("version").asLong()).isEqualTo(version + 1);
    }

    @Test
    void aSettingsWriteThatChangesNoValueStillMovesTheVersion() {
        long version = api.get(path(""), playerToken).body().get("version").asLong();
        String language = api.get(path(""), playerToken).body().get("language").asString();

        Api.Response same = patch(Map.of(), Map.of("language", language, "version", version));

        assertThat(same.status()).isEqualTo(200);
        assertThat(same.body().get("version").asLong()).isEqualTo(version + 1);
        assertThat(patch(Map.of(), Map.of("language", language, "version", version)).problem())
                .as("the version read before the write is stale after it").isEqualTo("concurrent-update");
    }

    @Test
    void ofTwoConcurrentChangesFromTheSameVersionExactlyOneWins() throws Exception {
        for (int round = 0; round < 5; round++) {
            long version = api.get(path(""), playerToken).body().get("version").asLong();
            CountDownLatch start = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                List<Future<Integer>> statuses = List.of("fr", "es").stream()
                        .map(language -> pool.submit(() -> {
                            start.await();
                            return patch(Map.of(), Map.of("language", language, "version", version)).status();
                        }))
                        .toList();
                start.countDown();
                assertThat(List.of(statuses.get(0).get(), statuses.get(1).get())).containsExactlyInAnyOrder(200, 409);
            }
            assertThat(api.get(path(""), playerToken).body().get("version").asLong()).isEqualTo(version + 1);
        }
    }

    @Test
    void ofTwoConcurrentStatsWritesFromTheSameVersionOneWinsAndTheOtherIs409() throws Exception {
        for (int round = 0; round < 3; round++) {
            int offset = round;
            long version = api.get(path(""), playerToken).body().get("version").asLong();
            Map<String, String> headers = Map.of("Authority-Lease", lease, "If-Match", "\"" + version + "\"");
            CountDownLatch start = new CountDownLatch(1);
            List<Api.Response> answers;
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                List<Future<Api.Response>> writes = List.of(10, 20).stream()
                        .map(hp -> pool.submit(() -> {
                            start.await();
                            return api.call(HttpMethod.PUT, path("/stats"), server, headers,
                                    Map.of("hp", hp + offset, "mp", 0, "strength", 1, "agility", 1));
                        }))
                        .toList();
                start.countDown();
                answers = List.of(writes.get(0).get(), writes.get(1).get());
            }
            assertThat(answers).extracting(Api.Response::status).containsExactlyInAnyOrder(200, 409);
            Api.Response winner = answers.stream().filter(a -> a.status() == 200).findFirst().orElseThrow();
            answers.stream().filter(a -> a.status() == 409).findFirst().orElseThrow().isProblem(409, "concurrent-update");
            Api.Response after = api.get(path(""), playerToken);
            assertThat(after.body().get("stats")).isEqualTo(winner.body().get("stats"));
            assertThat(after.body().get("version").asLong()).isEqualTo(version + 1);
        }
    }

    private Api.Response patch(Map<String, String> headers, Map<String, Object> body) {
        return api.call(HttpMethod.PATCH, path(""), playerToken, headers, body);
    }

    private Api.Response experience(long amount) {
        return api.call(HttpMethod.POST, path("/experience"), server, Map.of("Authority-Lease", lease),
                Map.of("amount", amount));
    }

    private String path(String suffix) {
        return "/api/v1/players/" + playerId + suffix;
    }
}
