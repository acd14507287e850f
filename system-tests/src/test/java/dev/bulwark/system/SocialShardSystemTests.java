package dev.bulwark.system;

import static dev.bulwark.system.SystemStack.JSON;
import static dev.bulwark.system.SystemStack.clientToken;
import static dev.bulwark.system.SystemStack.getJson;
import static dev.bulwark.system.SystemStack.post;
import static dev.bulwark.system.SystemStack.register;
import static dev.bulwark.system.SystemStack.shortId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;
import dev.bulwark.system.SystemStack.Registered;
import tools.jackson.databind.JsonNode;

/**
 * Social on the stack's two shards, killed (SIGKILL) while players on both shards race into two
 * guilds at their caps and started again: clients retry what the kill cut off, and in the end
 * each guild holds exactly its cap, nobody is in two guilds, every player's guild index (on the
 * player's shard) agrees with the guilds' member rows (on the guilds' shards), and no two-phase
 * commit is left prepared.
 */
class SocialShardSystemTests {

    private static final int CAP = 6;
    private static final int PLAYERS = 24;
    private static final Duration KILL_AFTER = Duration.ofMillis(400);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void joinsAcrossShardsIntoTwoFullGuildsSurviveAKillOfSocialInTheMiddle() throws Exception {
        StackController stack = SystemStack.get();
        String operator = clientToken("ops", "dev-secret-ops");
        List<UUID> guilds = List.of(charter(), charter());
        for (UUID guild : guilds) {
            JsonNode view = getJson(Service.SOCIAL, "/api/v1/guilds/" + guild, operator);
            Registered leader = leaders.get(UUID.fromString(view.get("leaderId").asString()));
            HttpResponse<String> capped = send("PATCH", "/api/v1/guilds/" + guild, leader.token(),
                    "{\"maxMembers\":" + CAP + "}");
            assertThat(capped.statusCode()).as(capped.body()).isEqualTo(200);
        }
        List<Registered> players = new ArrayList<>();
        for (int i = 0; i < PLAYERS; i++) {
            players.add(register("joiner" + shortId()));
        }
        Set<String> playerShards = new HashSet<>();
        for (Registered player : players) {
            playerShards.add(getJson(Service.SOCIAL, "/api/v1/admin/players/" + player.id() + "/shard", operator)
                    .get("shardId").asString());
        }
        assertThat(playerShards).as("joiners on both shards").containsExactlyInAnyOrder("shard0", "shard1");

        Map<String, Integer> answers = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        long downtimeMillis;
        try (ExecutorService clients = Executors.newFixedThreadPool(PLAYERS * 2 + 1)) {
            List<Future<Integer>> joins = new ArrayList<>();
            for (Registered player : players) {
                for (UUID guild : guilds) {
                    joins.add(clients.submit(() -> {
                        start.await();
                        int status = untilDecided(player, guild);
                        answers.merge(Integer.toString(status), 1, Integer::sum);
                        return status;
                    }));
                }
            }
            Future<Long> killer = clients.submit(() -> {
                start.await();
                Thread.sleep(KILL_AFTER.toMillis());
                long killed = System.nanoTime();
                stack.killService(Service.SOCIAL);
                stack.startService(Service.SOCIAL);
                stack.awaitHealthy(Service.SOCIAL, SystemStack.HEALTHY);
                return (System.nanoTime() - killed) / 1_000_000;
            });
            start.countDown();
            downtimeMillis = killer.get();
            for (Future<Integer> join : joins) {
                assertThat(join.get()).as("every join ends admitted or refused").isIn(201, 409);
            }
        }

        await().alias("recovery settles what the kill left prepared").atMost(Duration.ofSeconds(120))
                .until(() -> socialPrepared() == 0);
        Map<UUID, List<UUID>> guildsOf = new HashMap<>();
        Map<UUID, Integer> members = new HashMap<>();
        Map<UUID, UUID> index = new HashMap<>();
        for (String url : stack.socialShardJdbcUrls()) {
            try (Connection shard = DriverManager.getConnection(url, StackController.DB_USER, StackController.DB_PASSWORD);
                    ResultSet rows = shard.createStatement()
                            .executeQuery("SELECT guild_id, player_id FROM guild_member WHERE role <> 'JOIN_REQUEST'");
                    ResultSet indexed = shard.createStatement().executeQuery("SELECT player_id, guild_id FROM player_guild")) {
                while (rows.next()) {
                    UUID guild = rows.getObject(1, UUID.class);
                    guildsOf.computeIfAbsent(rows.getObject(2, UUID.class), p -> new ArrayList<>()).add(guild);
                    members.merge(guild, 1, Integer::sum);
                }
                while (indexed.next()) {
                    index.put(indexed.getObject(1, UUID.class), indexed.getObject(2, UUID.class));
                }
            }
        }
        for (UUID guild : guilds) {
            assertThat(members.get(guild)).as("members of %s, cap %d", guild, CAP).isEqualTo(CAP);
        }
        assertThat(guildsOf.values()).as("nobody in two guilds").allMatch(g -> g.size() == 1);
        for (Registered player : players) {
            List<UUID> in = guildsOf.getOrDefault(player.id(), List.of());
            assertThat(index.get(player.id())).as("the guild index of %s", player.id()).isEqualTo(in.isEmpty() ? null : in.get(0));
        }
        System.out.printf("[social-shard-test] %d joins into 2 guilds of cap %d, social killed after %d ms and back in %d ms;"
                + " answers %s%n", PLAYERS * 2, CAP, KILL_AFTER.toMillis(), downtimeMillis, answers);
    }

    private final Map<UUID, Registered> leaders = new ConcurrentHashMap<>();

    /** A guild bought as players buy one: the guild-charter offer, through the economy's saga. */
    private UUID charter() throws Exception {
        Registered leader = register("leader" + shortId());
        leaders.put(leader.id(), leader);
        // The wallet is opened from PlayerRegistered, a moment after the registration answers.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> SystemStack
                .get(Service.GAME_ECONOMY, "/api/v1/players/" + leader.id() + "/wallet", leader.token()).statusCode() == 200);
        HttpResponse<String> bought = post(Service.GAME_ECONOMY, "/api/v1/players/" + leader.id() + "/purchases",
                leader.token(), JSON.writeValueAsString(Map.of("offerId", "guild-charter", "quantity", 1,
                        "params", Map.of("guildName", "Shard " + shortId()))),
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(bought.statusCode()).as(bought.body()).isEqualTo(202);
        String path = "/api/v1/players/" + leader.id() + "/guild";
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> SystemStack.get(Service.SOCIAL, path, leader.token()).statusCode() == 200);
        JsonNode guild = getJson(Service.SOCIAL, path, leader.token());
        return UUID.fromString(guild.get("guildId").asString());
    }

    /** Retries what the kill cut off (no answer, 503) until the join is admitted or refused. */
    private static int untilDecided(Registered player, UUID guild) throws Exception {
        long deadline = System.nanoTime() + SystemStack.HEALTHY.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> answer = send("POST", "/api/v1/guilds/" + guild + "/members", player.token(),
                        "{\"playerId\":\"" + player.id() + "\"}");
                if (answer.statusCode() == 201 || answer.statusCode() == 409) {
                    return answer.statusCode();
                }
            } catch (IOException cutOff) {
                // the kill, or the service not listening yet
            }
            Thread.sleep(200);
        }
        return -1;
    }

    private static HttpResponse<String> send(String method, String path, String token, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(Service.SOCIAL.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static long socialPrepared() throws Exception {
        try (Connection shard0 = DriverManager.getConnection(SystemStack.get().socialShardJdbcUrls().get(0),
                StackController.DB_USER, StackController.DB_PASSWORD);
                ResultSet count = shard0.createStatement()
                        .executeQuery("SELECT count(*) FROM pg_prepared_xacts WHERE gid LIKE 'bw\\_social\\_%'")) {
            count.next();
            return count.getLong(1);
        }
    }
}
