package dev.bulwark.economy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.economy.EconomyClient;
import dev.bulwark.economy.EconomyClient.Answer;
import dev.bulwark.economy.wallet.TestPlayers;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;
import tools.jackson.databind.JsonNode;

/** The shards page's figures: what the ring gives each shard, what it holds, and its transaction rate between two reads. */
@IntegrationTest
class ShardLoadTests {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    private final TestKeys keys = TestKeys.primary();

    @Test
    void aViewerSeesEachShardsWeightPlayersHeldFundsAndTransactionRate() throws Exception {
        UUID player = TestPlayers.open(context);
        EconomyClient viewer = new EconomyClient(port, keys.viewerToken("operator:bob"));
        EconomyClient admin = new EconomyClient(port, keys.adminToken("operator:alice"));

        JsonNode first = viewer.get("/api/v1/admin/shards/load").json();
        for (int i = 0; i < 5; i++) {
            assertThat(admin.post("/api/v1/admin/players/" + player + "/adjustments", "load-" + i,
                    Map.of("currency", Map.of("GOLD", 1), "reason", "load")).status()).isEqualTo(201);
        }
        // PostgreSQL's backends flush their counters to pg_stat_database at most once a second, so the
        // five commits show up within about a second, not at once.
        long before = first.get("shards").get(0).get("transactions").asLong();
        Answer second = viewer.get("/api/v1/admin/shards/load");
        for (int attempt = 0; attempt < 50 && second.json().get("shards").get(0).get("transactions").asLong() - before < 5;
                attempt++) {
            Thread.sleep(100);
            second = viewer.get("/api/v1/admin/shards/load");
        }

        assertThat(second.status()).isEqualTo(200);
        JsonNode shard = second.json().get("shards").get(0);
        assertThat(second.json().get("vnodesPerShard").asInt()).isEqualTo(150);
        assertThat(shard.get("shardId").asString()).isEqualTo("shard0");
        assertThat(shard.get("weight").asDouble()).isEqualTo(1.0);
        assertThat(shard.get("vnodes").asInt()).isEqualTo(150);
        assertThat(shard.get("share").asDouble()).isEqualTo(1.0);
        assertThat(shard.get("healthy").asBoolean()).isTrue();
        assertThat(shard.get("breaker").asString()).isEqualTo("CLOSED");
        long wallets = jdbc.sql("SELECT count(*) FROM wallet").query(Long.class).single();
        assertThat(shard.get("players").asLong()).isEqualTo(wallets);
        assertThat(shard.get("heldGold").asLong()).isEqualTo(
                jdbc.sql("SELECT sum(held_gold) FROM wallet").query(Long.class).single());
        assertThat(shard.get("connections").asInt()).isPositive();
        assertThat(shard.get("databaseBytes").asLong()).isPositive();
        // Five adjustments committed between the reads: the counter moved by at least as many.
        assertThat(shard.get("transactions").asLong() - first.get("shards").get(0).get("transactions").asLong())
                .isGreaterThanOrEqualTo(5);
        assertThat(shard.get("transactionsPerSecond").asDouble()).isPositive();
        assertThat(new EconomyClient(port, keys.playerToken(player)).get("/api/v1/admin/shards/load").status())
                .as("a player token").isEqualTo(403);
    }

    @Test
    void theRateNeedsAnEarlierSampleThatIsRecentAndLower() {
        var now = java.time.Instant.parse("2026-12-03T12:00:00Z");
        assertThat(ShardLoadController.rate(null, 10, now)).isNull();
        assertThat(ShardLoadController.rate(new ShardLoadController.Sample(100, now.minusSeconds(2)), 300, now))
                .isEqualTo(100.0);
        assertThat(ShardLoadController.rate(new ShardLoadController.Sample(100, now.minusSeconds(400)), 300, now))
                .as("stale").isNull();
        assertThat(ShardLoadController.rate(new ShardLoadController.Sample(500, now.minusSeconds(2)), 300, now))
                .as("the statistics were reset").isNull();
    }
}
