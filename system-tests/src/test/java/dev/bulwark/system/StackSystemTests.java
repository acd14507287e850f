package dev.bulwark.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static dev.bulwark.system.SystemStack.HEALTHY;
import static dev.bulwark.system.SystemStack.JSON;
import static dev.bulwark.system.SystemStack.PASSWORD;
import static dev.bulwark.system.SystemStack.database;
import static dev.bulwark.system.SystemStack.get;
import static dev.bulwark.system.SystemStack.getJson;
import static dev.bulwark.system.SystemStack.post;
import static dev.bulwark.system.SystemStack.register;
import static dev.bulwark.system.SystemStack.shortId;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;
import dev.bulwark.system.SystemStack.Registered;
import tools.jackson.databind.JsonNode;

/**
 * The whole stack as real processes, hurt on purpose: registrations must each end with exactly
 * one starter grant whatever is killed or stopped meanwhile, and data survives a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackSystemTests {

    private static StackController stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = SystemStack.get();
    }

    @Test
    @Order(1)
    void aRegisteredPlayerSeesTheirWalletWithTheStarterGrant() throws Exception {
        Registered player = register("first-" + shortId());

        await().atMost(Duration.ofSeconds(30)).until(() -> walletStatus(player) == 200);
        JsonNode wallet = getJson(Service.GAME_ECONOMY, "/api/v1/players/" + player.id() + "/wallet", player.token());
        assertThat(wallet.get("balances").get("GOLD").asLong()).isEqualTo(1000);
        assertThat(wallet.get("balances").get("GEM").asLong()).isEqualTo(10);
    }

    @Test
    @Order(2)
    void theEconomyKilledWhile200RegistrationsAreInFlightStillGrantsEachPlayerOnce() throws Exception {
        List<UUID> players = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String name = "kill-" + i + "-" + shortId();
                calls.add(clients.submit(() -> {
                    players.add(register(name).id());
                    return null;
                }));
                if (i == 60) {
                    stack.killService(Service.GAME_ECONOMY);
                }
            }
            for (Future<?> call : calls) {
                call.get();
            }
        }
        stack.startService(Service.GAME_ECONOMY);
        stack.awaitHealthy(Service.GAME_ECONOMY, HEALTHY);

        assertThat(players).hasSize(200);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> starterGrants(players) == 200);
        assertEachPlayerGrantedOnce(players);
    }

    @Test
    @Order(3)
    void withKafkaStoppedWhilePlayersRegisterEveryWalletAppearsOnceKafkaIsBack() throws Exception {
        stack.stopKafka();
        List<UUID> players = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            players.add(register("nokafka-" + i + "-" + shortId()).id());
        }
        stack.startKafka();

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> starterGrants(players) == 20);
        assertEachPlayerGrantedOnce(players);
    }

    @Test
    @Order(4)
    void theWholeStackStoppedAndStartedKeepsAllData() throws Exception {
        String name = "survivor-" + shortId();
        Registered player = register(name);
        await().atMost(Duration.ofSeconds(30)).until(() -> walletStatus(player) == 200);

        stack = SystemStack.restart();

        HttpResponse<String> login = post(Service.PLAYER_CORE, "/api/v1/auth/login", null,
                "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(login.statusCode()).isEqualTo(200);
        String token = JSON.readTree(login.body()).get("accessToken").asString();
        assertThat(walletStatus(new Registered(player.id(), token))).isEqualTo(200);
        assertEachPlayerGrantedOnce(List.of(player.id()));
    }

    private static int walletStatus(Registered player) throws Exception {
        return get(Service.GAME_ECONOMY, "/api/v1/players/" + player.id() + "/wallet", player.token()).statusCode();
    }

    /** Number of the given players that have a starter grant in the economy's ledger. */
    private static long starterGrants(List<UUID> players) throws Exception {
        try (Connection c = database(Service.GAME_ECONOMY);
                PreparedStatement s = c.prepareStatement("""
                        SELECT count(DISTINCT player_id) FROM ledger_event
                        WHERE type = 'CurrencyGranted' AND payload->>'reason' = 'STARTER' AND player_id = ANY (?)""")) {
            s.setArray(1, c.createArrayOf("uuid", players.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void assertEachPlayerGrantedOnce(List<UUID> players) throws Exception {
        try (Connection c = database(Service.GAME_ECONOMY);
                PreparedStatement s = c.prepareStatement("""
                        SELECT player_id, count(*) FILTER (WHERE type = 'CurrencyGranted') AS grants,
                               count(*) FILTER (WHERE type = 'WalletOpened') AS openings
                        FROM ledger_event WHERE player_id = ANY (?) GROUP BY player_id""")) {
            s.setArray(1, c.createArrayOf("uuid", players.toArray()));
            int rows = 0;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    assertThat(rs.getLong("grants")).as("grants of %s", rs.getString(1)).isEqualTo(1);
                    assertThat(rs.getLong("openings")).as("openings of %s", rs.getString(1)).isEqualTo(1);
                }
            }
            assertThat(rows).isEqualTo(players.size());
        }
    }
}
