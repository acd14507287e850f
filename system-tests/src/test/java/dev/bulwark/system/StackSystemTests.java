package dev.bulwark.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static dev.bulwark.system.SystemStack.HEALTHY;
import static dev.bulwark.system.SystemStack.JSON;
import static dev.bulwark.system.SystemStack.PASSWORD;
import static dev.bulwark.system.SystemStack.clientToken;
import static dev.bulwark.system.SystemStack.get;
import static dev.bulwark.system.SystemStack.getJson;
import static dev.bulwark.system.SystemStack.onEveryEconomyShard;
import static dev.bulwark.system.SystemStack.post;
import static dev.bulwark.system.SystemStack.register;
import static dev.bulwark.system.SystemStack.shortId;

import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.bulwark.stack.DevClient;
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

    private static final int KILL_PLAYERS = 200;

    private static StackController stack;

    /** Every player this class created, so that the whole-stack restart can check all of them. */
    private static final List<Registered> CREATED = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startStack() throws Exception {
        stack = SystemStack.get();
    }

    @Test
    @Order(1)
    void aRegisteredPlayerSeesTheirWalletWithTheStarterGrant() throws Exception {
        Registered player = track(register("first-" + shortId()));

        await().atMost(Duration.ofSeconds(30)).until(() -> walletStatus(player) == 200);
        JsonNode wallet = getJson(Service.GAME_ECONOMY, "/api/v1/players/" + player.id() + "/wallet", player.token());
        assertThat(wallet.get("balances").get("GOLD").asLong()).isEqualTo(1000);
        assertThat(wallet.get("balances").get("GEM").asLong()).isEqualTo(10);
    }

    /**
     * The kill lands mid-stream: once some, but not all, of the 200 players have their starter
     * grant, the economy gets SIGKILL while the clients keep registering; it is restarted only
     * after the last registration answered.
     */
    @Test
    @Order(2)
    void theEconomyKilledWhile200RegistrationsAreInFlightStillGrantsEachPlayerOnce() throws Exception {
        List<UUID> players = Collections.synchronizedList(new ArrayList<>());
        long grantsAtKill;
        int registeredAtKill;
        long killedAt;
        try (ExecutorService clients = Executors.newFixedThreadPool(24)) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < KILL_PLAYERS; i++) {
                String name = "kill-" + i + "-" + shortId();
                calls.add(clients.submit(() -> {
                    players.add(track(register(name)).id());
                    return null;
                }));
            }
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> starterGrants(List.copyOf(players)) >= 20);
            stack.killService(Service.GAME_ECONOMY);
            killedAt = System.nanoTime();
            registeredAtKill = players.size();
            // Counted after the kill: what the dead economy committed, no more.
            grantsAtKill = starterGrants(List.copyOf(players));
            assertThat(stack.isAlive(Service.GAME_ECONOMY)).isFalse();
            for (Future<?> call : calls) {
                call.get();
            }
        }
        int registeredWhileDown = KILL_PLAYERS - registeredAtKill;
        stack.startService(Service.GAME_ECONOMY);
        Duration down = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("[system-test] economy SIGKILLed with %d of %d starter grants committed and %d of %d "
                + "registrations answered; %d registered while it was down; down for %d ms%n",
                grantsAtKill, KILL_PLAYERS, registeredAtKill, KILL_PLAYERS, registeredWhileDown, down.toMillis());
        assertThat(grantsAtKill).as("starter grants committed when the economy was killed").isBetween(1L, 199L);
        assertThat(registeredWhileDown).as("registrations answered while the economy was down").isPositive();

        assertThat(players).hasSize(KILL_PLAYERS);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> starterGrants(players) == KILL_PLAYERS);
        assertEachPlayerGrantedOnce(players);
    }

    @Test
    @Order(3)
    void withKafkaStoppedWhilePlayersRegisterEveryWalletAppearsOnceKafkaIsBack() throws Exception {
        stack.stopKafka();
        List<UUID> players = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            players.add(track(register("nokafka-" + i + "-" + shortId())).id());
        }
        stack.startKafka();

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> starterGrants(players) == 20);
        assertEachPlayerGrantedOnce(players);
    }

    /** A graceful stop (SIGTERM) of social while a client retries its friend request until it lands. */
    @Test
    @Order(4)
    void socialStoppedAndStartedAgainTakesTheRetriedFriendRequest() throws Exception {
        Registered asker = track(register("asker-" + shortId()));
        Registered friend = track(register("friend-" + shortId()));

        stack.stopService(Service.SOCIAL);
        assertThat(stack.isAlive(Service.SOCIAL)).isFalse();
        try (ExecutorService client = Executors.newSingleThreadExecutor()) {
            AtomicInteger attempts = new AtomicInteger();
            Future<Integer> retried = client.submit(() -> {
                while (true) {
                    attempts.incrementAndGet();
                    Integer status = friendRequest(asker, friend);
                    if (status != null && status == 200) {
                        return status;
                    }
                    Thread.sleep(500);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> attempts.get() >= 3);
            assertThat(retried).isNotDone();
            stack.startService(Service.SOCIAL);
            assertThat(retried.get(2, TimeUnit.MINUTES)).isEqualTo(200);
            System.out.printf("[system-test] friend request landed after %d attempts across a social restart%n",
                    attempts.get());
        }
        assertThat(friendRequest(friend, asker)).isEqualTo(200);
        JsonNode friends = getJson(Service.SOCIAL, "/api/v1/players/" + asker.id() + "/friends", asker.token());
        assertThat(friends).hasSize(1);
        assertThat(friends.get(0).get("playerId").asString()).isEqualTo(friend.id().toString());
        assertThat(friends.get(0).get("state").asString()).isEqualTo("FRIEND");
    }

    /** Last: every player created above is read before the restart and must read the same after it. */
    @Test
    @Order(5)
    void theWholeStackStoppedAndStartedKeepsAllData() throws Exception {
        String name = "survivor-" + shortId();
        Registered player = track(register(name));
        await().atMost(Duration.ofSeconds(30)).until(() -> walletStatus(player) == 200);
        List<Registered> players = List.copyOf(CREATED);
        assertThat(players).hasSizeGreaterThanOrEqualTo(KILL_PLAYERS + 24);
        Map<UUID, String> before = snapshot(players);

        stack = SystemStack.restart();

        HttpResponse<String> login = post(Service.PLAYER_CORE, "/api/v1/auth/login", null,
                "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(login.statusCode()).isEqualTo(200);
        String token = JSON.readTree(login.body()).get("accessToken").asString();
        assertThat(walletStatus(new Registered(player.id(), token))).isEqualTo(200);
        Map<UUID, String> after = snapshot(players);
        System.out.printf("[system-test] %d players compared across the whole-stack restart%n", after.size());
        assertThat(after).isEqualTo(before);
        assertEachPlayerGrantedOnce(players.stream().map(Registered::id).toList());
    }

    private static Registered track(Registered player) {
        CREATED.add(player);
        return player;
    }

    /** The friend request's status, or null when social does not answer at all. */
    private static Integer friendRequest(Registered from, Registered to) {
        try {
            return post(Service.SOCIAL, "/api/v1/players/" + from.id() + "/friends", from.token(),
                    "{\"friendId\":\"" + to.id() + "\"}").statusCode();
        } catch (Exception unreachable) {
            return null;
        }
    }

    /**
     * What each player's data reads as, through the public API with an operator token (wallet
     * balances, holds and version; profile with its version; friends) plus the ledger length
     * from the economy's shard databases.
     */
    private static Map<UUID, String> snapshot(List<Registered> players) throws Exception {
        String operator = clientToken(DevClient.OPERATOR.clientId(), DevClient.OPERATOR.secret());
        Map<UUID, Long> ledgerLengths = new HashMap<>();
        onEveryEconomyShard(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT player_id, count(*) FROM ledger_event WHERE player_id = ANY (?) GROUP BY player_id""")) {
                s.setArray(1, c.createArrayOf("uuid", players.stream().map(Registered::id).toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ledgerLengths.merge(rs.getObject(1, UUID.class), rs.getLong(2), Long::sum);
                    }
                }
            }
            return null;
        });
        Map<UUID, String> snapshot = new HashMap<>();
        for (Registered player : players) {
            String id = player.id().toString();
            JsonNode wallet = getJson(Service.GAME_ECONOMY, "/api/v1/players/" + id + "/wallet", operator);
            JsonNode profile = getJson(Service.PLAYER_CORE, "/api/v1/players/" + id, operator);
            JsonNode friends = getJson(Service.SOCIAL, "/api/v1/players/" + id + "/friends", operator);
            assertThat(profile.get("version")).as("profile version of %s", id).isNotNull();
            snapshot.put(player.id(), "wallet=" + wallet.get("balances") + wallet.get("held") + " v" + wallet.get("version")
                    + " ledger=" + ledgerLengths.get(player.id())
                    + " profile=" + profile.get("username").asString() + " v" + profile.get("version")
                    + " friends=" + friends);
        }
        return snapshot;
    }

    private static int walletStatus(Registered player) throws Exception {
        return get(Service.GAME_ECONOMY, "/api/v1/players/" + player.id() + "/wallet", player.token()).statusCode();
    }

    /** Number of the given players that have a starter grant in the economy's ledgers (over both shards). */
    private static long starterGrants(List<UUID> players) throws Exception {
        return onEveryEconomyShard(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT count(DISTINCT player_id) FROM ledger_event
                    WHERE type = 'CurrencyGranted' AND payload->>'reason' = 'STARTER' AND player_id = ANY (?)""")) {
                s.setArray(1, c.createArrayOf("uuid", players.toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }).stream().mapToLong(Long::longValue).sum();
    }

    /** Each player opened and granted once, on one shard (a player on both shards would count twice). */
    private static void assertEachPlayerGrantedOnce(List<UUID> players) throws Exception {
        long rows = onEveryEconomyShard(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT player_id, count(*) FILTER (WHERE type = 'CurrencyGranted') AS grants,
                           count(*) FILTER (WHERE type = 'WalletOpened') AS openings
                    FROM ledger_event WHERE player_id = ANY (?) GROUP BY player_id""")) {
                s.setArray(1, c.createArrayOf("uuid", players.toArray()));
                long found = 0;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found++;
                        assertThat(rs.getLong("grants")).as("grants of %s", rs.getString(1)).isEqualTo(1);
                        assertThat(rs.getLong("openings")).as("openings of %s", rs.getString(1)).isEqualTo(1);
                    }
                }
                return found;
            }
        }).stream().mapToLong(Long::longValue).sum();
        assertThat(rows).isEqualTo(players.size());
    }
}
