package dev.bulwark.social.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.bulwark.social.SocialApi;
import dev.bulwark.social.SocialApi.Response;
import dev.bulwark.social.SocialApplication;
import dev.bulwark.testsupport.TcpProxy;
import dev.bulwark.testsupport.TestInfrastructure;
import dev.bulwark.testsupport.TestKeys;
import tools.jackson.databind.JsonNode;

/**
 * Social on three shard databases (shard2 behind a TCP proxy that a test cuts): a guild lives on
 * its guild key's shard and its leader's index on the leader's, concurrent joins from players on
 * every shard into two guilds at their caps keep both caps and leave nobody in two guilds, and a
 * shard that is down costs only its own guilds and players.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShardedSocialTests {

    private static final List<String> SHARDS = List.of("shard0", "shard1", "shard2");

    private final TestKeys keys = TestKeys.primary();
    private final Map<String, JdbcClient> direct = new HashMap<>();
    private ConfigurableApplicationContext app;
    private SocialShards shards;
    private SocialApi api;
    private TcpProxy shard2Link;
    private int shard2ProxyPort;
    private String shard2Host;
    private int shard2Port;

    @BeforeAll
    void start() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        Map<String, String> urls = new HashMap<>();
        for (String shard : SHARDS) {
            urls.put(shard, infra.database("social_sharded_" + shard));
        }
        Matcher hostPort = Pattern.compile("//([^:/]+):(\\d+)/").matcher(urls.get("shard2"));
        assertThat(hostPort.find()).isTrue();
        shard2Host = hostPort.group(1);
        shard2Port = Integer.parseInt(hostPort.group(2));
        shard2ProxyPort = TcpProxy.freePort();
        shard2Link = TcpProxy.start(shard2ProxyPort, shard2Host, shard2Port);
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--spring.application.name=social-sharded",
                "--spring.kafka.consumer.group-id=social-sharded",
                "--spring.datasource.url=" + urls.get("shard0"),
                "--spring.datasource.username=" + infra.username(),
                "--spring.datasource.password=" + infra.password(),
                "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
                "--bulwark.security.issuer=" + TestKeys.ISSUER,
                "--bulwark.security.audience=" + TestKeys.AUDIENCE,
                "--bulwark.security.public-key-location=" + keys.publicKeyLocation(),
                "--bulwark.social.ring.recovery-interval=500ms",
                "--bulwark.social.ring.recovery-grace=1s",
                "--bulwark.social.ring.breaker-open-for=2s",
                "--bulwark.social.ring.connection-timeout=1s",
                "--bulwark.social.shards[0].id=shard0"));
        for (int i = 1; i < SHARDS.size(); i++) {
            String url = i == 2 ? urls.get("shard2").replace(":" + shard2Port + "/", ":" + shard2ProxyPort + "/")
                    : urls.get(SHARDS.get(i));
            args.add("--bulwark.social.shards[" + i + "].id=" + SHARDS.get(i));
            args.add("--bulwark.social.shards[" + i + "].jdbc-url=" + url);
            args.add("--bulwark.social.shards[" + i + "].username=" + infra.username());
            args.add("--bulwark.social.shards[" + i + "].password=" + infra.password());
        }
        app = new SpringApplicationBuilder(SocialApplication.class).run(args.toArray(String[]::new));
        int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        shards = app.getBean(SocialShards.class);
        for (String shard : SHARDS) {
            direct.put(shard, JdbcClient.create(new DriverManagerDataSource(urls.get(shard), infra.username(), infra.password())));
        }
        api = new SocialApi(port, direct.get("shard0"));
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        shard2Link.close();
    }

    @Test
    void aGuildLivesOnItsGuildKeysShardAndItsLeadersIndexOnTheLeaders() {
        UUID leader = player("shard1");
        UUID guild = guild(leader, "shard2");

        assertThat(count("shard2", "SELECT count(*) FROM guild WHERE guild_id = :id", guild)).isEqualTo(1);
        assertThat(count("shard1", "SELECT count(*) FROM guild WHERE guild_id = :id", guild)).as("not with its leader")
                .isZero();
        assertThat(count("shard1", "SELECT count(*) FROM player_guild WHERE player_id = :id", leader)).isEqualTo(1);
        assertThat(count("shard0", "SELECT count(*) FROM guild_name_claim WHERE guild_id = :id", guild)).isEqualTo(1);
        Response mine = api.call(leader, GET, "/api/v1/players/{p}/guild", null, leader);
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.body().get("role").asString()).isEqualTo("LEADER");

        Response post = api.call(leader, POST, "/api/v1/guilds/{g}/messages", Map.of("text", "hello"), guild);
        assertThat(post.status()).as(String.valueOf(post.body())).isEqualTo(201);
        assertThat(count("shard2", "SELECT count(*) FROM guild_message WHERE guild_id = :id", guild)).isEqualTo(1);
        assertThat(api.call(leader, GET, "/api/v1/guilds/{g}/messages", null, guild).body().size()).isEqualTo(1);

        JsonNode placed = admin("/api/v1/admin/guilds/" + guild + "/shard");
        assertThat(placed.get("shardId").asString()).isEqualTo("shard2");
        assertThat(admin("/api/v1/admin/players/" + leader + "/shard").get("shardId").asString()).isEqualTo("shard1");
    }

    @Test
    void concurrentJoinsFromEveryShardIntoTwoGuildsAtTheirCapsKeepBothCapsAndNobodyInTwoGuilds() throws Exception {
        UUID guildA = guild(player("shard0"), "shard1");
        UUID guildB = guild(player("shard2"), "shard0");
        for (UUID guild : List.of(guildA, guildB)) {
            UUID leader = UUID.fromString(api.call(UUID.randomUUID(), GET, "/api/v1/guilds/{g}", null, guild).body()
                    .get("leaderId").asString());
            assertThat(api.call(leader, PATCH, "/api/v1/guilds/{g}", Map.of("maxMembers", 6), guild).status()).isEqualTo(200);
        }
        List<UUID> players = new ArrayList<>();
        for (String shard : SHARDS) {
            for (int i = 0; i < 8; i++) {
                players.add(player(shard));
            }
        }
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Response>> joins = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(48)) {
            for (UUID player : players) {
                for (UUID guild : List.of(guildA, guildB)) {
                    joins.add(CompletableFuture.supplyAsync(() -> {
                        awaitQuietly(start);
                        return untilDecided(() -> api.call(player, POST, "/api/v1/guilds/{g}/members",
                                Map.of("playerId", player), guild));
                    }, pool));
                }
            }
            start.countDown();
        }
        List<Response> answers = joins.stream().map(CompletableFuture::join).toList();

        assertThat(answers).filteredOn(r -> r.status() == 201).hasSize(10);
        assertThat(answers).filteredOn(r -> r.status() != 201).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.problemType()).isIn("guild-full", "already-in-a-guild");
        });
        assertThat(members(guildA)).hasSize(6);
        assertThat(members(guildB)).hasSize(6);
        Map<UUID, Long> guildsPerPlayer = memberRows().stream()
                .collect(Collectors.groupingBy(row -> (UUID) row.get("player_id"), Collectors.counting()));
        assertThat(guildsPerPlayer.values()).as("nobody in two guilds").allMatch(n -> n == 1);
        Map<UUID, UUID> index = new HashMap<>();
        SHARDS.forEach(shard -> direct.get(shard).sql("SELECT player_id, guild_id FROM player_guild").query()
                .listOfRows().forEach(row -> index.put((UUID) row.get("player_id"), (UUID) row.get("guild_id"))));
        for (UUID player : players) {
            UUID member = memberRows().stream().filter(row -> row.get("player_id").equals(player))
                    .map(row -> (UUID) row.get("guild_id")).findFirst().orElse(null);
            assertThat(index.get(player)).as("the player's index agrees with the guilds").isEqualTo(member);
            if (member != null) {
                assertThat(count(shards.forPlayer(player).id(), "SELECT count(*) FROM player_guild WHERE player_id = :id",
                        player)).as("the index is on the player's shard").isEqualTo(1);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> SHARDS.stream().allMatch(shard -> direct.get(shard)
                .sql("SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()").query(Long.class)
                .single() == 0));
    }

    @Test
    void aDownShardAnswers503ForItsOwnGuildsWhileTheOthersAreServed() throws Exception {
        UUID onDown = guild(player("shard0"), "shard2");
        UUID healthy = guild(player("shard0"), "shard1");
        shard2Link.close();
        try {
            List<Response> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(api.call(UUID.randomUUID(), GET, "/api/v1/guilds/{g}", null, onDown));
            }
            assertThat(answers).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.problemType()).isEqualTo("shard-unavailable");
                assertThat(r.headers().getFirst("Retry-After")).isNotNull();
            });
            UUID joiner = player("shard0");
            Response join = api.call(joiner, POST, "/api/v1/guilds/{g}/members", Map.of("playerId", joiner), healthy);
            assertThat(join.status()).as("a guild and a player on healthy shards").isEqualTo(201);
            UUID stranded = player("shard2");
            Response across = api.call(stranded, POST, "/api/v1/guilds/{g}/members", Map.of("playerId", stranded), healthy);
            assertThat(across.status()).as("the joiner's own shard is down").isEqualTo(503);
            assertThat(across.problemType()).isEqualTo("shard-unavailable");
            assertThat(members(healthy)).doesNotContain(stranded);

            Map<String, Boolean> health = new HashMap<>();
            admin("/api/v1/admin/shards").get("shards")
                    .forEach(s -> health.put(s.get("shardId").asString(), s.get("healthy").asBoolean()));
            assertThat(health).containsEntry("shard2", false).containsEntry("shard0", true).containsEntry("shard1", true);
        } finally {
            shard2Link = TcpProxy.start(shard2ProxyPort, shard2Host, shard2Port);
        }
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> api.call(UUID.randomUUID(), GET, "/api/v1/guilds/{g}", null, onDown).status() == 200);
    }

    /** A new player whose key the ring puts on {@code shard}. */
    private UUID player(String shard) {
        return pick(id -> shards.forPlayer(id).id().equals(shard));
    }

    /**
     * A guild on {@code shard}, chartered by {@code leader}: the guild id follows from the saga id,
     * so a saga is chosen whose guild lands there.
     */
    private UUID guild(UUID leader, String shard) {
        UUID sagaId = pick(saga -> shards.forGuild(guildIdOf(saga)).id().equals(shard));
        SocialApi.sendCommand(new dev.bulwark.events.saga.CreateGuild(sagaId, "create-guild", leader,
                SocialApi.uniqueName("Sharded")));
        UUID guildId = guildIdOf(sagaId);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.call(leader, GET, "/api/v1/players/{p}/guild", null, leader).status() == 200);
        return guildId;
    }

    private static UUID guildIdOf(UUID sagaId) {
        return UUID.nameUUIDFromBytes(("guild-charter:" + sagaId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static UUID pick(Predicate<UUID> wanted) {
        while (true) {
            UUID id = UUID.randomUUID();
            if (wanted.test(id)) {
                return id;
            }
        }
    }

    /** A join answered 503 (a cross-shard lock wait ran out) is retried, as a client would. */
    private static Response untilDecided(Supplier<Response> call) {
        Response response = call.get();
        for (int attempt = 0; attempt < 40 && response.status() == 503; attempt++) {
            sleep(100);
            response = call.get();
        }
        return response;
    }

    private Set<UUID> members(UUID guild) {
        return Set.copyOf(direct.get(shards.forGuild(guild).id())
                .sql("SELECT player_id FROM guild_member WHERE guild_id = :g AND role <> 'JOIN_REQUEST'").param("g", guild)
                .query(UUID.class).list());
    }

    private List<Map<String, Object>> memberRows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        SHARDS.forEach(shard -> rows.addAll(direct.get(shard)
                .sql("SELECT guild_id, player_id FROM guild_member WHERE role <> 'JOIN_REQUEST'").query().listOfRows()));
        return rows;
    }

    private long count(String shard, String sql, UUID id) {
        return direct.get(shard).sql(sql).param("id", id).query(Long.class).single();
    }

    private JsonNode admin(String path) {
        Response response = api.call(keys.adminToken("ops"), GET, path, null);
        assertThat(response.status()).as(path).isEqualTo(200);
        return response.body();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
