package dev.bulwark.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Jepsen-style bank test on the running stack: players trade, buy, receive loot and use items
 * from many concurrent clients while the economy is SIGKILLed once and restarted. Every client
 * retries a timed-out, refused-connection, 5xx or 429 request with the same Idempotency-Key until
 * it gets a definite answer, and logs what was acknowledged. At the end no balance is negative,
 * the audit finds no drift, the supply equals what the acknowledged operations imply exactly, and
 * every acknowledged operation is in the ledgers exactly once (and nothing else is).
 */
class BankTests {

    private static final JsonMapper JSON = SystemStack.JSON;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int PLAYERS = 8;
    private static final int CLIENTS = 16;
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final Duration KILL_AT = Duration.ofSeconds(20);
    private static final List<Duration> MOVES_AT = List.of(Duration.ofSeconds(10), Duration.ofSeconds(25));
    private static final Duration GIVE_UP = SystemStack.HEALTHY.plusMinutes(1);
    private static final int THINK_MILLIS = 40;
    private static final String ECONOMY = Service.GAME_ECONOMY.baseUrl().toString();
    private static final String[] SERVERS = { "gs-eu-1", "gs-eu-2" };

    private StackController stack;

    /** Who holds a player's authority now, with the lease to present. */
    record Holder(String server, String lease, long epoch) {
    }

    record Player(UUID id, String token, AtomicReference<Holder> holder) {
    }

    /** One acknowledged operation: its kind, the id its ledger event carries, and what it moved. */
    record Ack(String kind, String id, UUID player, long gold, long gem, long potions) {
    }

    private final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();

    @Test
    void concurrentTradingThroughAnEconomyKillConservesEverythingAndLosesOrDuplicatesNothing() throws Exception {
        stack = SystemStack.get();
        Map<String, String> serverTokens = new HashMap<>();
        for (String server : SERVERS) {
            serverTokens.put(server, SystemStack.clientToken(server, "dev-secret-" + server));
        }
        String admin = SystemStack.clientToken("ops", "dev-secret-ops");
        List<Player> players = new ArrayList<>();
        for (int i = 0; i < PLAYERS; i++) {
            String server = SERVERS[i % SERVERS.length];
            SystemStack.Registered registered = SystemStack.register("bank-" + i + "-" + SystemStack.shortId());
            UUID id = registered.id();
            String token = registered.token();
            HttpResponse<String> claimed = send(post(Service.PLAYER_CORE.baseUrl() + "/api/v1/players/" + id + "/authority",
                    serverTokens.get(server), Map.of("ttlSeconds", 300), Map.of()));
            assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(200);
            JsonNode lease = JSON.readTree(claimed.body());
            players.add(new Player(id, token, new AtomicReference<>(
                    new Holder(server, lease.get("lease").asString(), lease.get("epoch").asLong()))));
        }
        for (Player player : players) {
            await().atMost(Duration.ofSeconds(60)).until(() -> send(get(ECONOMY + "/api/v1/players/" + player.id() + "/wallet",
                    player.token())).statusCode() == 200);
        }

        long started = System.nanoTime();
        long end = started + RUN.toNanos();
        AtomicLong downtimeMillis = new AtomicLong();
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1)) {
            Future<?> killer = clients.submit(() -> {
                Thread.sleep(KILL_AT.toMillis());
                long killed = System.nanoTime();
                stack.killService(Service.GAME_ECONOMY);
                stack.startService(Service.GAME_ECONOMY);
                stack.awaitHealthy(Service.GAME_ECONOMY, SystemStack.HEALTHY);
                downtimeMillis.set((System.nanoTime() - killed) / 1_000_000);
                return null;
            });
            Future<?> mover = clients.submit(() -> {
                // one player moves while the economy is up, another while it is down (the
                // AuthorityChanged event waits in Kafka; the new lease alone must fence the old one)
                Thread.sleep(MOVES_AT.get(0).toMillis());
                move(players.get(0), serverTokens);
                Thread.sleep(MOVES_AT.get(1).minus(MOVES_AT.get(0)).toMillis());
                move(players.get(1), serverTokens);
                return null;
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                workers.add(clients.submit(() -> {
                    while (System.nanoTime() < end) {
                        randomOperation(players, serverTokens);
                        Thread.sleep(THINK_MILLIS + ThreadLocalRandom.current().nextInt(THINK_MILLIS));
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            killer.get();
            mover.get();
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000;

        Map<UUID, JsonNode> wallets = new HashMap<>();
        Map<UUID, Long> potions = new HashMap<>();
        for (Player player : players) {
            wallets.put(player.id(), JSON.readTree(send(get(ECONOMY + "/api/v1/players/" + player.id() + "/wallet", admin)).body()));
            long held = 0;
            for (JsonNode item : JSON.readTree(send(get(ECONOMY + "/api/v1/players/" + player.id() + "/inventory", admin))
                    .body()).get("items")) {
                if (item.get("itemId").asString().equals("potion")) {
                    held = item.get("quantity").asLong();
                }
            }
            potions.put(player.id(), held);
        }
        JsonNode audit = JSON.readTree(send(post(ECONOMY + "/api/v1/admin/audit", admin, Map.of(), Map.of())).body());
        Map<String, Long> inLedgers = new HashMap<>();
        List<String> epochsOutOfOrder = new ArrayList<>();
        Map<UUID, Long> writesAfterMove = new HashMap<>();
        for (Player player : players) {
            long highestEpoch = 0;
            for (JsonNode event : ledger(player, admin)) {
                String type = event.get("type").asString();
                if (ID_FIELDS.containsKey(type)) {
                    inLedgers.merge(type + ":" + event.get("payload").get(ID_FIELDS.get(type)).asString(), 1L, Long::sum);
                }
                if (type.equals("LootGranted") || type.equals("ItemsConsumed")) {
                    long epoch = event.get("payload").get("epoch").asLong();
                    if (epoch < highestEpoch || epoch > player.holder().get().epoch()) {
                        epochsOutOfOrder.add(player.id() + " at " + event.get("sequence") + ": epoch " + epoch);
                    }
                    highestEpoch = Math.max(highestEpoch, epoch);
                    if (epoch > 1) {
                        writesAfterMove.merge(player.id(), 1L, Long::sum);
                    }
                }
            }
        }

        System.out.printf("[bank-test] %d s, %d clients, %d players: %s; acknowledged %d; economy down %d ms; audit drift %d%n",
                seconds, CLIENTS, PLAYERS, new TreeMap<>(counts), acks.size(), downtimeMillis.get(),
                audit.get("drift").asLong());

        System.out.printf("[bank-test] game-server writes under the moved players' new leases: %s%n", writesAfterMove);

        assertThat(epochsOutOfOrder).as("a game-server write with an older lease after a newer one").isEmpty();
        assertThat(violations).as("reads with a negative balance").isEmpty();
        assertThat(counted("gave-up")).as("operations without a definite answer").isZero();
        assertThat(counted("retried-io")).as("requests cut off or refused by the killed economy, retried").isPositive();
        long gold = 0;
        long gem = 0;
        for (JsonNode wallet : wallets.values()) {
            for (String currency : List.of("GOLD", "GEM")) {
                assertThat(wallet.get("balances").get(currency).asLong()).isNotNegative();
                assertThat(wallet.get("held").get(currency).asLong()).isNotNegative();
            }
            gold += wallet.get("balances").get("GOLD").asLong() + wallet.get("held").get("GOLD").asLong();
            gem += wallet.get("balances").get("GEM").asLong() + wallet.get("held").get("GEM").asLong();
        }
        assertThat(audit.get("drift").asLong()).isZero();
        assertThat(audit.get("playersWithDrift").size()).isZero();
        assertThat(gold).as("GOLD supply").isEqualTo(PLAYERS * 1000L + acks.stream().mapToLong(Ack::gold).sum());
        assertThat(gem).as("GEM supply").isEqualTo(PLAYERS * 10L + acks.stream().mapToLong(Ack::gem).sum());
        assertThat(potions.values().stream().mapToLong(Long::longValue).sum()).as("potion supply")
                .isEqualTo(acks.stream().mapToLong(Ack::potions).sum());
        for (JsonNode asset : audit.get("supply")) {
            assertThat(asset.get("drift").asLong()).as("supply drift in the audit").isZero();
        }

        Map<String, Long> acknowledged = new HashMap<>();
        for (Ack ack : acks) {
            acknowledged.merge(ack.kind() + ":" + ack.id(), 1L, Long::sum);
            if (ack.kind().equals("TransferSent")) {
                acknowledged.merge("TransferReceived:" + ack.id(), 1L, Long::sum);
            }
        }
        assertThat(inLedgers).as("every acknowledged operation once in the ledgers, and nothing else")
                .isEqualTo(acknowledged);
        assertThat(acks.size()).isGreaterThan(500);
    }

    private void randomOperation(List<Player> players, Map<String, String> serverTokens) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Player player = players.get(random.nextInt(players.size()));
        Holder holder = player.holder().get();
        int dice = random.nextInt(100);
        String key = UUID.randomUUID().toString();
        if (dice < 30) {
            Player to = players.get(random.nextInt(players.size()));
            if (to == player) {
                return;
            }
            long gold = 1 + random.nextInt(25);
            boolean potion = random.nextInt(3) == 0;
            Map<String, Object> body = new HashMap<>(Map.of("fromPlayerId", player.id(), "toPlayerId", to.id(),
                    "currency", Map.of("GOLD", gold)));
            if (potion) {
                body.put("items", List.of(Map.of("itemId", "potion", "quantity", 1)));
            }
            JsonNode answer = definite("transfer", post(ECONOMY + "/api/v1/transfers", player.token(), body,
                    Map.of("Idempotency-Key", key)));
            if (answer != null) {
                acks.add(new Ack("TransferSent", answer.get("transferId").asString(), player.id(), 0, 0, 0));
            }
        } else if (dice < 45) {
            boolean potions = random.nextBoolean();
            JsonNode answer = definite("purchase", post(ECONOMY + "/api/v1/players/" + player.id() + "/purchases",
                    player.token(), Map.of("offerId", potions ? "potion-pack" : "gem-to-gold", "quantity", 1),
                    Map.of("Idempotency-Key", key)));
            if (answer != null) {
                acks.add(new Ack("PurchaseCompleted", answer.get("purchaseId").asString(), player.id(),
                        potions ? -50 : 100, potions ? 0 : -1, potions ? 5 : 0));
            }
        } else if (dice < 70) {
            long gold = 1 + random.nextInt(30);
            long potions = random.nextInt(3);
            Map<String, Object> body = new HashMap<>(Map.of("currency", Map.of("GOLD", gold), "reason", "bank-test"));
            if (potions > 0) {
                body.put("items", List.of(Map.of("itemId", "potion", "quantity", potions)));
            }
            JsonNode answer = definite("grant", post(ECONOMY + "/api/v1/players/" + player.id() + "/grants",
                    serverTokens.get(holder.server()), body,
                    Map.of("Idempotency-Key", key, "Authority-Lease", holder.lease())));
            if (answer != null) {
                acks.add(new Ack("LootGranted", key, player.id(), gold, 0, potions));
            }
        } else if (dice < 85) {
            JsonNode answer = definite("consumption", post(ECONOMY + "/api/v1/players/" + player.id() + "/consumptions",
                    serverTokens.get(holder.server()),
                    Map.of("items", List.of(Map.of("itemId", "potion", "quantity", 1)), "reason", "bank-test"),
                    Map.of("Idempotency-Key", key, "Authority-Lease", holder.lease())));
            if (answer != null) {
                acks.add(new Ack("ItemsConsumed", key, player.id(), 0, 0, -1));
            }
        } else {
            try {
                HttpResponse<String> wallet = send(get(ECONOMY + "/api/v1/players/" + player.id() + "/wallet", player.token()));
                count("read");
                if (wallet.statusCode() == 200) {
                    JsonNode balances = JSON.readTree(wallet.body()).get("balances");
                    if (balances.get("GOLD").asLong() < 0 || balances.get("GEM").asLong() < 0) {
                        violations.add(wallet.body());
                    }
                }
            } catch (IOException down) {
                count("read-failed");
            }
        }
    }

    /**
     * Sends until the answer is definite: 2xx (returned: acknowledged) or 4xx other than 429
     * (null: refused). Timeouts, refused connections, 5xx and 429 are retried with the same key.
     */
    private JsonNode definite(String kind, HttpRequest request) throws InterruptedException {
        count(kind);
        long giveUp = System.nanoTime() + GIVE_UP.toNanos();
        while (System.nanoTime() < giveUp) {
            try {
                HttpResponse<String> response = send(request);
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    count(kind + "-acknowledged");
                    return JSON.readTree(response.body());
                }
                if (status >= 400 && status < 500 && status != 429) {
                    count(kind + "-refused-" + JSON.readTree(response.body()).path("type").asString()
                            .replace("https://bulwark.dev/problems/", ""));
                    return null;
                }
                count("retried-" + status);
                if (status == 429) {
                    Thread.sleep(1000L * Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")));
                }
            } catch (IOException cutOff) {
                count("retried-io");
            }
            Thread.sleep(100 + ThreadLocalRandom.current().nextInt(300));
        }
        count("gave-up");
        return null;
    }

    private static final Map<String, String> ID_FIELDS = Map.of("TransferSent", "transferId",
            "TransferReceived", "transferId", "PurchaseCompleted", "purchaseId", "LootGranted", "dropId",
            "ItemsConsumed", "consumptionId");

    /** A player's whole ledger, in order. */
    private static List<JsonNode> ledger(Player player, String admin) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = JSON.readTree(send(get(ECONOMY + "/api/v1/players/" + player.id() + "/ledger?limit=500&after="
                    + after, admin)).body());
            page.get("events").forEach(events::add);
            if (page.get("nextAfter") == null || page.get("nextAfter").isNull()) {
                return events;
            }
            after = page.get("nextAfter").asLong();
        }
    }

    /** The holder hands the player to the other game server (player-core: epoch + 1), then renews for 5 minutes. */
    private void move(Player player, Map<String, String> serverTokens) throws Exception {
        Holder from = player.holder().get();
        String to = from.server().equals(SERVERS[0]) ? SERVERS[1] : SERVERS[0];
        String core = Service.PLAYER_CORE.baseUrl() + "/api/v1/players/" + player.id() + "/authority";
        HttpResponse<String> moved = send(post(core + "/transfer", serverTokens.get(from.server()),
                Map.of("toServerId", to), Map.of("Authority-Lease", from.lease())));
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        HttpResponse<String> renewed = send(post(core + "/renew", serverTokens.get(to), Map.of("ttlSeconds", 300),
                Map.of("Authority-Lease", JSON.readTree(moved.body()).get("lease").asString())));
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
        JsonNode lease = JSON.readTree(renewed.body());
        player.holder().set(new Holder(to, lease.get("lease").asString(), lease.get("epoch").asLong()));
        count("authority-moved");
    }

    private void count(String what) {
        counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    private long counted(String what) {
        return counts.getOrDefault(what, new AtomicLong()).get();
    }

    private static HttpRequest post(Object url, String token, Object body, Map<String, String> headers) {
        // a short timeout: a request cut off by the kill is retried rather than waited for
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return request.build();
    }

    private static HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
