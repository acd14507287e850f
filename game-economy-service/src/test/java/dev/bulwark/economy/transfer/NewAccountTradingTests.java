package dev.bulwark.economy.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import dev.bulwark.economy.EconomyClient;
import dev.bulwark.economy.EconomyClient.Answer;
import dev.bulwark.economy.wallet.TestPlayers;
import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Payload;
import dev.bulwark.events.Topics;
import dev.bulwark.events.player.PlayerLeveledUp;
import dev.bulwark.events.player.PlayerRegistered;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;
import dev.bulwark.testsupport.TestKeys;

/**
 * The new-account trade restriction ON with the production values of application.yaml (the
 * other tests switch it off). Players arrive as they do in production: through PlayerRegistered
 * and PlayerLeveledUp on {@code player.events}.
 */
@IntegrationTest
@TestPropertySource(properties = { "bulwark.economy.trading.min-account-age=24h", "bulwark.economy.trading.min-level=3" })
class NewAccountTradingTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private final TestKeys keys = TestKeys.primary();

    @Test
    void aBotFarmCannotFunnelItsStarterGoldIntoOneAccount() {
        UUID collector = registered(Instant.now().minus(Duration.ofDays(30)), 10);
        List<UUID> bots = List.of(registered(Instant.now(), 1), registered(Instant.now(), 1), registered(Instant.now(), 1));

        for (UUID bot : bots) {
            Answer refused = new EconomyClient(port, keys.playerToken(bot)).post("/api/v1/transfers", key(),
                    Map.of("fromPlayerId", bot, "toPlayerId", collector, "currency", Map.of("GOLD", 1000)));
            assertThat(refused.status()).as(refused.body()).isEqualTo(422);
            assertThat(refused.problemType()).isEqualTo("new-account-restricted");
            assertThat(TestPlayers.gold(jdbc, bot)).isEqualTo(1000);
        }
        assertThat(TestPlayers.gold(jdbc, collector)).as("receiving is never restricted, but nothing came").isEqualTo(1000);
    }

    @Test
    void anOldAccountStillNeedsTheLevelAndCanTradeOnceItLevelsUp() {
        UUID veteran = registered(Instant.now().minus(Duration.ofDays(2)), 1);
        UUID friend = registered(Instant.now().minus(Duration.ofDays(2)), 1);
        EconomyClient client = new EconomyClient(port, keys.playerToken(veteran));
        Map<String, Object> gift = Map.of("fromPlayerId", veteran, "toPlayerId", friend, "currency", Map.of("GOLD", 10));

        assertThat(client.post("/api/v1/transfers", key(), gift).problemType()).isEqualTo("new-account-restricted");
        publish(new PlayerLeveledUp(veteran, 1, 3, 300), veteran, 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> level(veteran) == 3);

        assertThat(client.post("/api/v1/transfers", key(), gift).status()).isEqualTo(201);
        assertThat(TestPlayers.gold(jdbc, friend)).isEqualTo(1010);
    }

    @Test
    void aHighLevelAccountStillWaitsForItsAgeAndAnOperatorIsNotRestricted() {
        UUID fresh = registered(Instant.now(), 1);
        publish(new PlayerLeveledUp(fresh, 1, 5, 1000), fresh, 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> level(fresh) == 5);
        UUID other = registered(Instant.now(), 1);
        Map<String, Object> transfer = Map.of("fromPlayerId", fresh, "toPlayerId", other, "currency", Map.of("GOLD", 10));

        assertThat(new EconomyClient(port, keys.playerToken(fresh)).post("/api/v1/transfers", key(), transfer)
                .problemType()).isEqualTo("new-account-restricted");
        assertThat(new EconomyClient(port, keys.adminToken("ops")).post("/api/v1/transfers", key(), transfer).status())
                .isEqualTo(201);
    }

    /** A player registered at {@code at}, as player-core announces it, once the economy has both the wallet and the standing. */
    private UUID registered(Instant at, int level) {
        UUID player = UUID.randomUUID();
        publish(new PlayerRegistered(player, "u" + player.toString().substring(0, 8), "n" + player.toString().substring(0, 8), at),
                player, 1);
        if (level > 1) {
            publish(new PlayerLeveledUp(player, 1, level, 50L * level * level), player, 2);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> level(player) == level
                && jdbc.sql("SELECT count(*) FROM wallet WHERE player_id = :p").param("p", player).query(Integer.class)
                        .single() == 1);
        return player;
    }

    private int level(UUID player) {
        return jdbc.sql("SELECT level FROM trader_standing WHERE player_id = :p").param("p", player).query(Integer.class)
                .optional().orElse(0);
    }

    private static void publish(Payload payload, UUID player, long sequence) {
        Envelope envelope = Contracts.wrap(payload, player.toString(), sequence, Instant.now(), Map.of());
        TestInfrastructure.get().send(Topics.PLAYER_EVENTS.name(), player.toString(), Contracts.toBytes(envelope));
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
