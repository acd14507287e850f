package dev.bulwark.economy.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.bulwark.economy.EconomyClient;
import dev.bulwark.economy.EconomyClient.Answer;
import dev.bulwark.economy.GameEconomyApplication;
import dev.bulwark.economy.wallet.TestPlayers;
import dev.bulwark.testsupport.TcpProxy;
import dev.bulwark.testsupport.TestInfrastructure;
import dev.bulwark.testsupport.TestKeys;
import tools.jackson.databind.JsonNode;

/**
 * The economy on four shard databases (shard1 behind a TCP proxy that a test cuts): players on
 * different shards trade by two-phase commit, a shard that is down costs only its own players,
 * in-doubt transactions are resolved by the economy's recovery, and a bank of concurrent
 * transfers across all four keeps every total.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShardedEconomyTests {

    private static final List<String> SHARDS = List.of("shard0", "shard1", "shard2", "shard3");

    private final TestKeys keys = TestKeys.primary();
    private ConfigurableApplicationContext app;
    private TcpProxy shard1Link;
    private int shard1ProxyPort;
    private String shard1Host;
    private int shard1Port;
    private int port;
    private Shards shards;
    private final Map<String, JdbcClient> direct = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        Map<String, String> urls = new HashMap<>();
        for (String shard : SHARDS) {
            urls.put(shard, infra.database("economy_sharded_" + shard));
        }
        Matcher hostPort = Pattern.compile("//([^:/]+):(\\d+)/").matcher(urls.get("shard1"));
        assertThat(hostPort.find()).isTrue();
        shard1Host = hostPort.group(1);
        shard1Port = Integer.parseInt(hostPort.group(2));
        shard1ProxyPort = TcpProxy.freePort();
        shard1Link = TcpProxy.start(shard1ProxyPort, shard1Host, shard1Port);
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--spring.application.name=game-economy-sharded",
                "--spring.kafka.consumer.group-id=game-economy-sharded",
                "--spring.datasource.url=" + urls.get("shard0"),
                "--spring.datasource.username=" + infra.username(),
                "--spring.datasource.password=" + infra.password(),
                "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
                "--bulwark.security.issuer=" + TestKeys.ISSUER,
                "--bulwark.security.audience=" + TestKeys.AUDIENCE,
                "--bulwark.security.public-key-location=" + keys.publicKeyLocation(),
                "--bulwark.economy.ring.recovery-interval=500ms",
                "--bulwark.economy.ring.recovery-grace=1s",
                "--bulwark.economy.ring.breaker-open-for=2s",
                "--bulwark.economy.ring.connection-timeout=1s",
                "--bulwark.economy.shards[0].id=shard0"));
        for (int i = 1; i < SHARDS.size(); i++) {
            String url = i == 1 ? urls.get("shard1").replace(":" + shard1Port + "/", ":" + shard1ProxyPort + "/") : urls.get(SHARDS.get(i));
            args.add("--bulwark.economy.shards[" + i + "].id=" + SHARDS.get(i));
            args.add("--bulwark.economy.shards[" + i + "].jdbc-url=" + url);
            args.add("--bulwark.economy.shards[" + i + "].username=" + infra.username());
            args.add("--bulwark.economy.shards[" + i + "].password=" + infra.password());
        }
        app = new SpringApplicationBuilder(GameEconomyApplication.class).run(args.toArray(String[]::new));
        port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        shards = app.getBean(Shards.class);
        for (String shard : SHARDS) {
            direct.put(shard, JdbcClient.create(new DriverManagerDataSource(urls.get(shard), infra.username(), infra.password())));
        }
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        shard1Link.close();
    }

    @Test
    void aCrossShardTransferMovesBothSidesOnceAndItsRetryAnswersTheSame() {
        UUID from = player("shard2");
        UUID to = player("shard3");
        EconomyClient sender = client(from);
        String key = UUID.randomUUID().toString();

        Answer answer = sender.post("/api/v1/transfers", key, gold(from, to, 300));
        Answer retry = sender.post("/api/v1/transfers", key, gold(from, to, 300));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(answer.body());
        assertThat(gold(from)).isEqualTo(700);
        assertThat(gold(to)).isEqualTo(1300);
        String transferId = answer.json().get("transferId").asString();
        assertThat(lastEvent(from)).isEqualTo("TransferSent:" + transferId);
        assertThat(lastEvent(to)).isEqualTo("TransferReceived:" + transferId);
        assertThat(shards.forId(UUID.fromString(transferId)).id()).as("the transfer id points at the sender's shard")
                .isEqualTo("shard2");
        assertThat(direct.get("shard2").sql("SELECT count(*) FROM idempotency_record WHERE idempotency_key = :k")
                .param("k", key).query(Long.class).single()).as("the key's record, with the sender").isEqualTo(1);
        assertThat(prepared()).isZero();
    }

    @Test
    void aRefusedCrossShardTransferChangesNothingAnywhereAndFreesTheKey() {
        UUID from = player("shard0");
        UUID to = player("shard2");
        EconomyClient sender = client(from);
        String key = UUID.randomUUID().toString();

        Answer tooMuch = sender.post("/api/v1/transfers", key, gold(from, to, 5000));

        assertThat(tooMuch.status()).isEqualTo(409);
        assertThat(tooMuch.problemType()).isEqualTo("insufficient-funds");
        assertThat(gold(from)).isEqualTo(1000);
        assertThat(gold(to)).isEqualTo(1000);
        assertThat(events(from)).isEqualTo(2);
        assertThat(events(to)).isEqualTo(2);
        assertThat(prepared()).isZero();
        assertThat(sender.post("/api/v1/transfers", key, gold(from, to, 100)).status())
                .as("a refusal leaves the key free").isEqualTo(201);
    }

    @Test
    void recoveryCommitsADecidedTransactionAndRollsBackAnUndecidedOne() {
        UUID decidedPlayer = player("shard2");
        UUID undecidedPlayer = player("shard3");
        JdbcClient coordinator = direct.get("shard0");
        // Two coordinator transactions that ended: one wrote its decision, one died before it.
        long decided = coordinator.sql("SELECT pg_current_xact_id()::text::bigint").query(Long.class).single();
        coordinator.sql("INSERT INTO twophase_decision (coordinator, xid, participants) VALUES ('economy', :xid, ARRAY['shard2'])")
                .param("xid", decided).update();
        long undecided = coordinator.sql("SELECT pg_current_xact_id()::text::bigint").query(Long.class).single();
        // Rows outside the ledger, so that the audit of the other tests is not disturbed.
        prepare("shard2", "bw_economy_" + decided + "_shard2", standing(decidedPlayer));
        prepare("shard3", "bw_economy_" + undecided + "_shard3", standing(undecidedPlayer));

        await().atMost(Duration.ofSeconds(20)).until(() -> prepared() == 0);

        assertThat(hasStanding(decidedPlayer)).as("decided: committed").isTrue();
        assertThat(hasStanding(undecidedPlayer)).as("no decision: presumed abort").isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> coordinator
                .sql("SELECT count(*) FROM twophase_decision WHERE xid = :xid").param("xid", decided)
                .query(Long.class).single() == 0);
    }

    @Test
    void aWriteThatReachesAShardNotOwningThePlayerIsRefusedAndChangesNothing() {
        UUID owner = player("shard3");
        JdbcClient shard3 = direct.get("shard3");
        List<Map<String, Object>> ranges = shard3.sql("SELECT first_token, last_token FROM shard_owned_range").query().listOfRows();
        long point = Shards.point(owner);
        try {
            shard3.sql("DELETE FROM shard_owned_range WHERE first_token <= :p AND last_token >= :p").param("p", point).update();

            Answer refused = client(owner).post("/api/v1/players/" + owner + "/purchases", UUID.randomUUID().toString(),
                    Map.of("offerId", "potion-pack", "quantity", 1));

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.problemType()).isEqualTo("shard-moved");
            assertThat(refused.header("Retry-After")).isNotNull();
            assertThat(gold(owner)).isEqualTo(1000);
        } finally {
            shard3.sql("DELETE FROM shard_owned_range").update();
            ranges.forEach(r -> shard3.sql("INSERT INTO shard_owned_range (first_token, last_token) VALUES (:f, :l)")
                    .param("f", r.get("first_token")).param("l", r.get("last_token")).update());
        }
    }

    @Test
    void aDownShardAnswers503FastForItsPlayersWhileTheOthersAreServed() throws Exception {
        UUID onDownShard = player("shard1");
        UUID healthy = player("shard0");
        UUID healthyToo = player("shard2");
        shard1Link.close();
        try {
            List<Answer> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(client(onDownShard).get("/api/v1/players/" + onDownShard + "/wallet"));
            }
            assertThat(answers).allSatisfy(a -> {
                assertThat(a.status()).isEqualTo(503);
                assertThat(a.problemType()).isEqualTo("shard-unavailable");
                assertThat(a.header("Retry-After")).isNotNull();
                assertThat(a.header("Content-Type")).contains("application/problem+json");
            });
            long started = System.nanoTime();
            Answer open = client(onDownShard).get("/api/v1/players/" + onDownShard + "/wallet");
            assertThat(open.status()).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("fast once the breaker is open")
                    .isLessThan(Duration.ofMillis(500));

            Answer across = client(healthy).post("/api/v1/transfers", UUID.randomUUID().toString(), gold(healthy, onDownShard, 10));
            assertThat(across.status()).isEqualTo(503);
            assertThat(across.problemType()).isEqualTo("shard-unavailable");

            long healthyStarted = System.nanoTime();
            assertThat(client(healthy).post("/api/v1/transfers", UUID.randomUUID().toString(), gold(healthy, healthyToo, 10))
                    .status()).as("the healthy side holds no lock of the refused transfer").isEqualTo(201);
            assertThat(Duration.ofNanos(System.nanoTime() - healthyStarted)).isLessThan(Duration.ofSeconds(1));
            assertThat(client(healthy).get("/api/v1/players/" + healthy + "/wallet").status()).isEqualTo(200);

            JsonNode ring = admin().get("/api/v1/admin/shards").json();
            Map<String, Boolean> health = new HashMap<>();
            ring.get("shards").forEach(s -> health.put(s.get("shardId").asString(), s.get("healthy").asBoolean()));
            assertThat(health).containsEntry("shard1", false).containsEntry("shard0", true).containsEntry("shard2", true);
        } finally {
            shard1Link = TcpProxy.start(shard1ProxyPort, shard1Host, shard1Port);
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() ->
                client(onDownShard).get("/api/v1/players/" + onDownShard + "/wallet").status() == 200);
        assertThat(gold(healthy)).isEqualTo(990);
        assertThat(gold(onDownShard)).isEqualTo(1000);
    }

    @Test
    void theAdminSeesTheRingAndWhereAPlayerLives() {
        UUID player = player("shard3");

        JsonNode ring = admin().get("/api/v1/admin/shards").json();
        JsonNode where = admin().get("/api/v1/admin/players/" + player + "/shard").json();

        assertThat(ring.get("ringVersion").asLong()).isEqualTo(1);
        assertThat(ring.get("vnodesPerShard").asInt()).isEqualTo(150);
        List<String> ids = new ArrayList<>();
        ring.get("shards").forEach(s -> ids.add(s.get("shardId").asString()));
        assertThat(ids).containsExactlyElementsOf(SHARDS);
        ring.get("shards").forEach(s -> {
            if (s.get("healthy").asBoolean()) {
                assertThat(s.get("players").asLong()).isEqualTo(direct.get(s.get("shardId").asString())
                        .sql("SELECT count(*) FROM wallet").query(Long.class).single());
            }
        });
        assertThat(where.get("shardId").asString()).isEqualTo("shard3");
        assertThat(client(player).get("/api/v1/admin/shards").status()).as("operators only").isEqualTo(403);
    }

    @Test
    void sixteenClientsTransferingAcrossFourShardsKeepEveryTotal() throws Exception {
        List<UUID> players = new ArrayList<>();
        for (String shard : SHARDS) {
            for (int i = 0; i < 4; i++) {
                players.add(player(shard));
            }
        }
        long before = players.stream().mapToLong(this::gold).sum();
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            UUID sender = players.get(c);
            done.add(clients.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int t = 0; t < 12; t++) {
                    UUID to = players.get(random.nextInt(players.size()));
                    if (to.equals(sender)) {
                        continue;
                    }
                    Answer answer = client(sender).post("/api/v1/transfers", UUID.randomUUID().toString(),
                            gold(sender, to, 1 + random.nextInt(150)));
                    if (answer.status() == 201) {
                        acknowledged.merge(answer.json().get("transferId").asString(), 1, Integer::sum);
                    } else {
                        assertThat(Set.of(409, 503)).as(answer.body()).contains(answer.status());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        clients.shutdown();

        assertThat(acknowledged).isNotEmpty();
        assertThat(players.stream().mapToLong(this::gold).sum()).as("total GOLD").isEqualTo(before);
        assertThat(players).allSatisfy(p -> assertThat(gold(p)).isNotNegative());
        Map<String, Long> sides = new HashMap<>();
        for (JdbcClient shard : direct.values()) {
            shard.sql("SELECT payload->>'transferId' FROM ledger_event WHERE type IN ('TransferSent', 'TransferReceived')")
                    .query(String.class).list().forEach(id -> sides.merge(id, 1L, Long::sum));
        }
        assertThat(acknowledged.keySet()).allSatisfy(id -> assertThat(sides.get(id)).as(id).isEqualTo(2));
        assertThat(prepared()).isZero();
        JsonNode audit = admin().post("/api/v1/admin/audit?full=true", null, Map.of(), Duration.ofSeconds(60)).json();
        assertThat(audit.get("drift").asLong()).as(audit.toString()).isZero();
        assertThat(audit.get("transfersNotOnBothSides")).isEmpty();
    }

    private UUID player(String shard) {
        UUID player;
        do {
            player = UUID.randomUUID();
        } while (!shards.forPlayer(player).id().equals(shard));
        return TestPlayers.open(app, player);
    }

    private long prepared() {
        return direct.values().stream().mapToLong(jdbc -> jdbc
                .sql("SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()")
                .query(Long.class).single()).sum();
    }

    private void prepare(String shard, String gid, String statement) {
        TestInfrastructure infra = TestInfrastructure.get();
        try (var connection = java.sql.DriverManager.getConnection(infra.database("economy_sharded_" + shard),
                infra.username(), infra.password()); var s = connection.createStatement()) {
            s.execute("BEGIN");
            s.execute(statement);
            s.execute("PREPARE TRANSACTION '" + gid + "'");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String standing(UUID player) {
        return "INSERT INTO trader_standing (player_id, registered_at, level) VALUES ('" + player + "', now(), 99)";
    }

    private boolean hasStanding(UUID player) {
        return home(player).sql("SELECT count(*) FROM trader_standing WHERE player_id = :p AND level = 99")
                .param("p", player).query(Long.class).single() > 0;
    }

    private JdbcClient home(UUID player) {
        return direct.get(shards.forPlayer(player).id());
    }

    private long gold(UUID player) {
        return TestPlayers.gold(home(player), player);
    }

    private long events(UUID player) {
        return home(player).sql("SELECT count(*) FROM ledger_event WHERE player_id = :p").param("p", player)
                .query(Long.class).single();
    }

    private String lastEvent(UUID player) {
        return home(player).sql("""
                SELECT type || ':' || (payload->>'transferId') FROM ledger_event WHERE player_id = :p
                ORDER BY sequence DESC LIMIT 1""").param("p", player).query(String.class).single();
    }

    private EconomyClient client(UUID player) {
        return new EconomyClient(port, keys.playerToken(player));
    }

    private EconomyClient admin() {
        return new EconomyClient(port, keys.adminToken("ops"));
    }

    private static Map<String, Object> gold(UUID from, UUID to, long amount) {
        return Map.of("fromPlayerId", from, "toPlayerId", to, "currency", Map.of("GOLD", amount));
    }
}
