package dev.bulwark.economy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.economy.EconomyClient.Answer;
import dev.bulwark.economy.wallet.TestPlayers;
import dev.bulwark.platform.ratelimit.RateLimit;
import dev.bulwark.platform.ratelimit.WriteLimiter;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;

/**
 * Every economy write draws on the platform's write limit, and a retry gets its first answer:
 * the Idempotency-Key is looked up before the lease, the catalog or the limit can refuse, and a
 * replay costs no token. The tests empty a caller's bucket directly rather than by hundreds of
 * requests.
 */
@IntegrationTest
class WriteLimitTests {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    WriteLimiter limiter;

    private final TestKeys keys = TestKeys.primary();

    @Test
    void aCallerOutOfTokensStillGetsStoredAnswersButNoNewWrite() {
        UUID player = TestPlayers.open(context);
        String lease = keys.lease(player, "gs-eu-1", 1, Duration.ofMinutes(5));
        grant(player, lease, "drop-before-the-limit");
        grant(player, lease, "another-drop-before-the-limit");
        Answer first = consume(player, lease, "sip-before-the-limit");
        drain("/api/v1/players/" + player + "/consumptions", WriteLimiter.key("gs-eu-1", player.toString()));

        Answer retry = consume(player, lease, "sip-before-the-limit");
        Answer fresh = consume(player, lease, "sip-over-the-limit");

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).as(retry.body()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(fresh.status()).isEqualTo(429);
        assertThat(fresh.problemType()).isEqualTo("rate-limited");
        assertThat(Long.parseLong(fresh.header("Retry-After"))).isPositive();
        assertThat(TestPlayers.quantity(jdbc, player, "potion")).isEqualTo(1);
    }

    /** Consumptions have their own route rule in the test configuration: 60 an hour, so nothing refills meanwhile. */
    @Test
    void replaysCostNoToken() {
        UUID player = TestPlayers.open(context);
        String lease = keys.lease(player, "gs-eu-1", 1, Duration.ofMinutes(5));
        grant(player, lease, "drop-to-consume");
        String path = "/api/v1/players/" + player + "/consumptions";

        for (int i = 0; i < 5; i++) {
            assertThat(consume(player, lease, "sip-1").status()).isEqualTo(201);
        }

        RateLimit consumptions = limiter.limitFor(path);
        assertThat(consumptions).isNotSameAs(limiter.limitFor("/api/v1/transfers"));
        assertThat(consumptions.tryAcquire(WriteLimiter.key("gs-eu-1", player.toString())).getRemainingTokens())
                .as("60, minus the one consumption, minus this probe").isEqualTo(58);
    }

    @Test
    void transfersAndAdjustmentsAreLimitedToo() {
        UUID from = TestPlayers.open(context);
        UUID to = TestPlayers.open(context);
        EconomyClient sender = new EconomyClient(port, keys.playerToken(from));
        Map<String, Object> transfer = Map.of("fromPlayerId", from, "toPlayerId", to, "currency", Map.of("GOLD", 1));
        Answer landed = sender.post("/api/v1/transfers", "t-1", transfer);
        drain("/api/v1/transfers", WriteLimiter.key(from.toString(), null));

        assertThat(sender.post("/api/v1/transfers", "t-2", transfer).status()).isEqualTo(429);
        assertThat(sender.post("/api/v1/transfers", "t-1", transfer).body()).isEqualTo(landed.body());

        EconomyClient admin = new EconomyClient(port, keys.adminToken("ops-limits"));
        String adjustments = "/api/v1/admin/players/" + to + "/adjustments";
        drain(adjustments, WriteLimiter.key("ops-limits", to.toString()));
        assertThat(admin.post(adjustments, "a-1", Map.of("currency", Map.of("GOLD", 5), "reason", "test")).status())
                .isEqualTo(429);
        assertThat(TestPlayers.gold(jdbc, from)).isEqualTo(999);
        assertThat(TestPlayers.gold(jdbc, to)).isEqualTo(1001);
    }

    private Answer grant(UUID player, String lease, String dropId) {
        return new EconomyClient(port, keys.gameServerToken("gs-eu-1")).post("/api/v1/players/" + player + "/grants",
                dropId, Map.of("currency", Map.of("GOLD", 10), "items", List.of(Map.of("itemId", "potion", "quantity", 1)),
                        "reason", "test-loot"), Map.of("Authority-Lease", lease));
    }

    private Answer consume(UUID player, String lease, String key) {
        return new EconomyClient(port, keys.gameServerToken("gs-eu-1")).post("/api/v1/players/" + player + "/consumptions",
                key, Map.of("items", List.of(Map.of("itemId", "potion", "quantity", 1)), "reason", "drink"),
                Map.of("Authority-Lease", lease));
    }

    private void drain(String path, String key) {
        RateLimit limit = limiter.limitFor(path);
        while (limit.tryAcquire(key).isConsumed()) {
            // until the bucket is empty
        }
    }
}
