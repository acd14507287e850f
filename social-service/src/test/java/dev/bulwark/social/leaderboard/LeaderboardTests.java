package dev.bulwark.social.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import dev.bulwark.events.Contracts;
import dev.bulwark.social.SocialApi;
import dev.bulwark.social.SocialApi.Response;
import dev.bulwark.social.leaderboard.Leaderboards.Page;
import dev.bulwark.social.leaderboard.Leaderboards.Ranked;
import dev.bulwark.social.leaderboard.LeaderboardRules.Operator;
import dev.bulwark.social.leaderboard.LeaderboardRules.SortOrder;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;
import tools.jackson.databind.JsonNode;

/** Leaderboards through the HTTP API and the store, on real PostgreSQL. */
@IntegrationTest
class LeaderboardTests {

    private static final String ADMIN = TestKeys.primary().adminToken("ops-boards");
    private static final String SERVER = TestKeys.primary().gameServerToken("gs-boards");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    SocialApi api;

    @BeforeEach
    void api() {
        api = new SocialApi(port, jdbc);
    }

    @Test
    void operatorsCreateBoardsGameServersWriteAndAnyoneSignedInReadsRanks() {
        String board = SocialApi.uniqueName("kills").replace(' ', '-');
        String definition = "{\"leaderboardId\":\"" + board + "\",\"sortOrder\":\"DESC\",\"operator\":\"BEST\"}";
        assertThat(call(ADMIN, POST, "/api/v1/admin/leaderboards", definition, null).status()).isEqualTo(201);
        assertThat(call(ADMIN, POST, "/api/v1/admin/leaderboards", definition, null).status()).as("a retried creation").isEqualTo(200);
        Response other = call(ADMIN, POST, "/api/v1/admin/leaderboards", definition.replace("BEST", "SET"), null);
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.problemType()).isEqualTo("leaderboard-exists");

        List<UUID> players = api.knownPlayers(5);
        long[] scores = { 30, 50, 10, 50, 40 };
        for (int i = 0; i < players.size(); i++) {
            assertThat(score(board, players.get(i), scores[i]).status()).isEqualTo(201);
        }
        assertThat(score(board, players.get(2), 5).body().get("score").asLong()).as("BEST keeps 10").isEqualTo(10);

        JsonNode top = call(players.get(0), GET, "/api/v1/leaderboards/" + board + "/records?limit=3").body();
        // players 1 and 3 tie at 50: the one that reached it first ranks first
        assertThat(SocialApi.strings(top.get("records"), "playerId")).containsExactly(
                players.get(1).toString(), players.get(3).toString(), players.get(4).toString());
        assertThat(SocialApi.strings(top.get("records"), "rank")).containsExactly("1", "2", "3");
        assertThat(top.get("records").get(0).get("displayName").asString()).startsWith("P");
        JsonNode rest = call(players.get(0), GET, "/api/v1/leaderboards/" + board + "/records?limit=3&cursor="
                + top.get("nextCursor").asString()).body();
        assertThat(SocialApi.strings(rest.get("records"), "playerId")).containsExactly(players.get(0).toString(),
                players.get(2).toString());
        assertThat(SocialApi.strings(rest.get("records"), "rank")).containsExactly("4", "5");
        assertThat(rest.get("nextCursor").isNull()).isTrue();

        JsonNode around = call(players.get(0), GET, "/api/v1/leaderboards/" + board + "/records/around/"
                + players.get(4) + "?limit=3").body();
        assertThat(SocialApi.strings(around.get("records"), "rank")).containsExactly("2", "3", "4");
        assertThat(SocialApi.strings(around.get("records"), "playerId")).containsExactly(players.get(3).toString(),
                players.get(4).toString(), players.get(0).toString());
        JsonNode bottom = call(SERVER, GET, "/api/v1/leaderboards/" + board + "/records/around/" + players.get(2) + "?limit=3", null, null).body();
        assertThat(SocialApi.strings(bottom.get("records"), "rank")).as("fewer below: more above").containsExactly("3", "4", "5");
    }

    @Test
    void aRetryAnswersAsTheFirstWriteAndTheSameKeyWithAnotherBodyIsRefused() {
        String board = newBoard(SortOrder.DESC, Operator.INCREMENT, null);
        UUID player = UUID.randomUUID();
        assertThat(call(SERVER, POST, records(board), body(player, 5), "drop-1").body().get("score").asLong()).isEqualTo(5);
        Response retry = call(SERVER, POST, records(board), body(player, 5), "drop-1");
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body().get("score").asLong()).as("not added twice").isEqualTo(5);
        Response reused = call(SERVER, POST, records(board), body(player, 6), "drop-1");
        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.problemType()).isEqualTo("idempotency-key-reused");
        assertThat(call(SERVER, POST, records(board), body(player, 2), "drop-2").body().get("score").asLong()).isEqualTo(7);

        // concurrent retries of one key: one write lands
        UUID racer = UUID.randomUUID();
        List<CompletableFuture<Response>> racing = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> call(SERVER, POST, records(board), body(racer, 3), "race")))
                .toList();
        racing.forEach(r -> assertThat(r.join().body().get("score").asLong()).isEqualTo(3));
        assertThat(call(SERVER, GET, "/api/v1/leaderboards/" + board + "/records/around/" + racer + "?limit=1", null, null)
                .body().get("records").get(0).get("score").asLong()).isEqualTo(3);
    }

    @Test
    void badInputIsAProblemAndChangesNothing() {
        String board = newBoard(SortOrder.DESC, Operator.INCREMENT, null);
        UUID player = UUID.randomUUID();
        assertProblem(call(SERVER, POST, records("no-such-board"), body(player, 1), "k"), 404, "not-found");
        assertProblem(call(ADMIN, POST, "/api/v1/admin/leaderboards",
                "{\"leaderboardId\":\"bad\\u0000id\",\"sortOrder\":\"DESC\",\"operator\":\"BEST\"}", null), 400, "invalid-characters"); // the platform refuses control characters before the domain
        assertProblem(call(ADMIN, POST, "/api/v1/admin/leaderboards",
                "{\"leaderboardId\":\"ok-id\",\"sortOrder\":\"DESC\",\"operator\":\"MULTIPLY\"}", null), 400, "malformed-request");
        assertProblem(call(ADMIN, POST, "/api/v1/admin/leaderboards",
                "{\"leaderboardId\":\"ok-id\",\"sortOrder\":\"DESC\",\"operator\":\"BEST\",\"resetSchedule\":\"weekly\"}", null),
                400, "invalid-leaderboard");
        assertProblem(call(SERVER, POST, records(board), body(player, -1), "k"), 400, "invalid-score");
        assertProblem(call(SERVER, POST, records(board), "{\"playerId\":\"" + player + "\",\"score\":1.5}", "k"), 400, "invalid-score");
        assertProblem(call(SERVER, POST, records(board), body(player, 1), "bad key"), 400, "invalid-idempotency-key");
        assertProblem(call(SERVER, GET, "/api/v1/leaderboards/" + board + "/records?cursor=nonsense", null, null), 400,
                "invalid-leaderboard");
        assertProblem(call(SERVER, GET, "/api/v1/leaderboards/" + board + "/records/around/" + player, null, null), 404,
                "not-found");
        assertThat(jdbc.sql("SELECT count(*) FROM leaderboard_record WHERE leaderboard_id = :b").param("b", board)
                .query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM leaderboard WHERE leaderboard_id = 'ok-id'").query(Integer.class).single())
                .isZero();
        assertThat(call(SERVER, POST, records(board), body(player, 1), "k").status()).as("refusals claimed no key")
                .isEqualTo(201);
    }

    @Test
    void aFriendsBoardRanksOnlyThePlayerAndTheirFriendsAndOnlyForThatPlayer() {
        String board = newBoard(SortOrder.ASC, Operator.SET, null);
        List<UUID> players = api.knownPlayers(4);
        UUID ayla = players.get(0), bren = players.get(1), cara = players.get(2), dan = players.get(3);
        befriend(ayla, bren);
        befriend(ayla, cara);
        api.call(dan, POST, "/api/v1/players/{p}/friends", Map.of("friendId", ayla), dan); // only an invitation
        long[] times = { 90, 70, 80, 10 };
        for (int i = 0; i < 4; i++) {
            score(board, players.get(i), times[i]);
        }
        Response friends = call(ayla, GET, "/api/v1/leaderboards/" + board + "/records?friendsOf=" + ayla);
        assertThat(SocialApi.strings(friends.body().get("records"), "playerId")).containsExactly(bren.toString(),
                cara.toString(), ayla.toString());
        assertThat(SocialApi.strings(friends.body().get("records"), "rank")).containsExactly("1", "2", "3");
        Response page = call(ayla, GET, "/api/v1/leaderboards/" + board + "/records?limit=2&friendsOf=" + ayla);
        Response next = call(ayla, GET, "/api/v1/leaderboards/" + board + "/records?limit=2&friendsOf=" + ayla
                + "&cursor=" + page.body().get("nextCursor").asString());
        assertThat(SocialApi.strings(next.body().get("records"), "rank")).containsExactly("3");
        assertThat(call(bren, GET, "/api/v1/leaderboards/" + board + "/records?friendsOf=" + ayla).status()).isEqualTo(403);
        assertThat(call(SERVER, GET, "/api/v1/leaderboards/" + board + "/records?friendsOf=" + ayla, null, null).status())
                .isEqualTo(403);
    }

    @Test
    void scoresWrittenAcrossAResetLandInTheirOwnPeriodsAndPastPeriodsStayReadable() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-06T23:59:59.500Z"));
        Leaderboards weekly = new Leaderboards(jdbc, transactions, clock);
        String board = SocialApi.uniqueName("weekly").replace(' ', '-');
        weekly.create(board, SortOrder.DESC, Operator.INCREMENT, "0 0 0 * * MON", "test");
        UUID player = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        weekly.write("gs", board, "w1", player, 10);
        weekly.write("gs", board, "w2", other, 4);
        clock.now = Instant.parse("2026-12-07T00:00:00Z"); // the reset instant opens the new week
        assertThat(weekly.page(board, null, null, 10, null).records()).isEmpty();
        assertThat(weekly.write("gs", board, "w3", player, 1).score()).as("a new period starts from 0").isEqualTo(1);
        Page current = weekly.page(board, null, null, 10, null);
        assertThat(current.records()).extracting(Ranked::playerId, Ranked::score, Ranked::rank)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(player, 1L, 1L));
        assertThat(current.periodEndsAt()).isEqualTo(Instant.parse("2026-12-14T00:00:00Z"));
        Page lastWeek = weekly.page(board, Instant.parse("2026-12-02T12:00:00Z"), null, 10, null);
        assertThat(lastWeek.records()).extracting(Ranked::playerId, Ranked::score)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(player, 10L), org.assertj.core.groups.Tuple.tuple(other, 4L));
        assertThat(lastWeek.periodEndsAt()).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
        assertThat(weekly.around(board, other, Instant.parse("2026-12-06T00:00:00Z"), 5).records())
                .extracting(Ranked::rank).containsExactly(1L, 2L);
    }

    private void befriend(UUID a, UUID b) {
        assertThat(api.call(a, POST, "/api/v1/players/{p}/friends", Map.of("friendId", b), a).status()).isEqualTo(200);
        assertThat(api.call(b, POST, "/api/v1/players/{p}/friends", Map.of("friendId", a), b).body().get("state")
                .asString()).isEqualTo("FRIEND");
    }

    private String newBoard(SortOrder order, Operator operator, String schedule) {
        String board = SocialApi.uniqueName("board").replace(' ', '-');
        String body = "{\"leaderboardId\":\"" + board + "\",\"sortOrder\":\"" + order + "\",\"operator\":\"" + operator + "\""
                + (schedule == null ? "" : ",\"resetSchedule\":\"" + schedule + "\"") + "}";
        assertThat(call(ADMIN, POST, "/api/v1/admin/leaderboards", body, null).status()).isEqualTo(201);
        return board;
    }

    private Response score(String board, UUID player, long score) {
        return call(SERVER, POST, records(board), body(player, score), UUID.randomUUID().toString());
    }

    private static String records(String board) {
        return "/api/v1/leaderboards/" + board + "/records";
    }

    private static String body(UUID player, long score) {
        return "{\"playerId\":\"" + player + "\",\"score\":" + score + "}";
    }

    private static void assertProblem(Response response, int status, String type) {
        assertThat(response.status()).isEqualTo(status);
        if (type != null) {
            assertThat(response.problemType()).isEqualTo(type);
        }
    }

    private Response call(UUID player, HttpMethod method, String path) {
        return call(TestKeys.primary().playerToken(player), method, path, null, null);
    }

    /** A call with a raw JSON body and an optional Idempotency-Key (the path is sent as it is). */
    private Response call(String token, HttpMethod method, String path, String json, String key) {
        RestClient.RequestBodySpec spec = RestClient.builder().requestFactory(new JdkClientHttpRequestFactory()).build().method(method)
                .uri(java.net.URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token);
        if (key != null) {
            spec.header("Idempotency-Key", key);
        }
        if (json != null) {
            spec.contentType(MediaType.APPLICATION_JSON).body(json);
        }
        return spec.exchange((req, res) -> {
            byte[] bytes = res.getBody().readAllBytes();
            return new Response(res.getStatusCode().value(), bytes.length == 0 ? null : Contracts.MAPPER.readTree(bytes),
                    res.getHeaders());
        });
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {

        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
