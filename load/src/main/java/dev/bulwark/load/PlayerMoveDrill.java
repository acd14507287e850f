package dev.bulwark.load;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import dev.bulwark.stack.DevClient;
import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;
import dev.bulwark.testsupport.checker.AckChecker;
import dev.bulwark.testsupport.checker.CheckReport;
import dev.bulwark.testsupport.checker.EconomyAdminApi;
import dev.bulwark.testsupport.checker.EconomyIdempotencyRecords;
import dev.bulwark.testsupport.checker.History;
import dev.bulwark.testsupport.checker.Ledgers;
import dev.bulwark.testsupport.checker.Operation;

/**
 * Drill 5: players move from gs-eu-1 to gs-eu-2 while loot is granted from both. Each kill of a
 * player drops one potion, minted by the server that rolls it (the drop id names the server, as a
 * game server's own drop ids would). Before the move gs-eu-1 grants every kill; at the move it
 * hands the player over (the authority transfer, epoch + 1) and gs-eu-2 grants from then on, but
 * gs-eu-1 keeps granting the kills it still sees for a while with its old lease, as a server that
 * has not caught up would. Only the lease-epoch fence keeps those from landing twice: with it off
 * ({@code BULWARK_DRILL_UNFENCED}) the drill finds the duplicates.
 */
final class PlayerMoveDrill implements Drill {

    private static final String OLD = DevClient.GAME_SERVER_EU_1.clientId();
    private static final String NEW = DevClient.GAME_SERVER_EU_2.clientId();
    private static final Duration GIVE_UP = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "loot-move";
    }

    @Override
    public String title() {
        return "5. A player moved between game servers while loot is granted from both";
    }

    @Override
    public DrillResult run(Context context) throws Exception {
        DrillStack drill = context.stack();
        Timeline timeline = new Timeline();
        DrillResult result = new DrillResult(name(), title(), timeline);
        int playerCount = context.shortRun() ? 4 : 8;
        // Kills per second per player: the potion's stack limit (99) bounds one player's kills.
        int killsPerSecond = context.shortRun() ? 4 : 2;
        Duration before = context.pick(4, 15);
        Duration overlap = context.pick(3, 10);
        Duration after = context.pick(3, 10);
        List<UUID> players = Fixtures.insertAccounts(drill.stack, "move-" + System.currentTimeMillis() % 1_000_000,
                playerCount);
        Fixtures.awaitWallets(players, drill.admin, Duration.ofMinutes(2));
        EconomyAdminApi ledgers = new EconomyAdminApi(Service.GAME_ECONOMY.baseUrl(), drill.admin);
        Map<UUID, Ledgers.Holdings> baseline = new LinkedHashMap<>();
        for (UUID player : players) {
            baseline.put(player, ledgers.holdings(player));
        }

        History history = new History();
        // kill → the servers that had its grant acknowledged
        Map<String, Set<String>> acknowledgedBy = new ConcurrentHashMap<>();
        AtomicLong staleAcknowledged = new AtomicLong();
        AtomicLong staleRefused = new AtomicLong();
        context.probe().recordInto(timeline);
        Instant start = Instant.now().plusSeconds(1);
        Instant moveAt = start.plus(before);
        Instant overlapEnds = moveAt.plus(overlap);
        Instant end = overlapEnds.plus(after);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (UUID player : players) {
                running.add(clients.submit(() -> {
                    String lease = claim(player, drill.gameServer1);
                    String oldLease = lease;
                    boolean moved = false;
                    long interval = 1000 / killsPerSecond;
                    for (int kill = 0; ; kill++) {
                        Instant due = start.plusMillis(kill * interval);
                        if (due.isAfter(end)) {
                            return null;
                        }
                        sleepUntil(due);
                        String killId = player + "/kill-" + kill;
                        if (due.isBefore(moveAt)) {
                            grant(history, acknowledgedBy, player, OLD, drill.gameServer1, oldLease, kill, killId);
                            continue;
                        }
                        if (!moved) {
                            lease = transfer(player, drill.gameServer1, oldLease);
                            moved = true;
                        }
                        grant(history, acknowledgedBy, player, NEW, drill.gameServer2, lease, kill, killId);
                        if (due.isBefore(overlapEnds)) {
                            // The old server has not caught up: its lease is a stale one now.
                            boolean landed = grant(history, acknowledgedBy, player, OLD, drill.gameServer1, oldLease, kill,
                                    killId);
                            (landed ? staleAcknowledged : staleRefused).incrementAndGet();
                        }
                    }
                }));
            }
            sleepUntil(moveAt);
            Timeline.Window window = timeline.begin("moved " + OLD + " → " + NEW + ", both granting");
            sleepUntil(overlapEnds);
            timeline.end(window);
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            context.probe().recordInto(null);
        }

        CheckReport report = AckChecker.check(history, ledgers, baseline, new EconomyIdempotencyRecords(
                StackController.DB_USER, StackController.DB_PASSWORD,
                drill.stack.economyShardJdbcUrls().toArray(String[]::new)));
        long duplicated = 0;
        long potionsGained = 0;
        long killsInLedgers = 0;
        for (UUID player : players) {
            Map<String, Integer> grantsPerKill = new HashMap<>();
            for (Ledgers.Entry entry : ledgers.ledger(player)) {
                if (entry.type().equals("LootGranted")) {
                    grantsPerKill.merge(entry.payload().path("reason").asString(), 1, Integer::sum);
                }
            }
            duplicated += grantsPerKill.values().stream().filter(count -> count > 1).mapToInt(count -> count - 1).sum();
            killsInLedgers += grantsPerKill.size();
            potionsGained += ledgers.holdings(player).supply().getOrDefault("potion", 0L)
                    - baseline.get(player).supply().getOrDefault("potion", 0L);
        }
        long kills = history.operations().stream().map(operation -> operation.key().substring(operation.key().indexOf('/') + 1))
                .distinct().count();
        long lost = history.operations().stream().map(Operation::key)
                .map(key -> key.substring(key.indexOf('/') + 1)).distinct()
                .filter(kill -> !acknowledgedBy.containsKey(kill)).count();
        result.notes.add(String.format("%d players, %d kills, %d grant requests (%d attempts); the old server's stale "
                + "grants: %d refused, %d acknowledged", playerCount, kills, history.operations().size(),
                report.attempts(), staleRefused.get(), staleAcknowledged.get()));
        report.violations().stream().limit(10).forEach(violation -> result.notes.add("checker: " + violation));
        result.check("no kill's loot granted twice (ledgers)", duplicated + " duplicate grants", "0", duplicated == 0);
        result.check("no duplicated item: potions gained = kills granted", potionsGained + " potions for "
                + killsInLedgers + " kills", "equal", potionsGained == killsInLedgers);
        result.check("stale-lease grants acknowledged after the move", staleAcknowledged.get() + " of "
                + (staleAcknowledged.get() + staleRefused.get()), "0", staleAcknowledged.get() == 0
                        && staleRefused.get() > 0);
        result.check("every acknowledged grant in its ledger exactly once, nothing unexplained (checker)",
                report.violations().size() + " violations", "0", report.violations().isEmpty());
        result.check("no kill lost: each acknowledged by a server", lost + " of " + kills + " unacknowledged", "0",
                lost == 0 && kills > 0);
        return result;
    }

    /** One kill's grant from one server, retried with its drop id until the answer is definite; true if acknowledged. */
    private static boolean grant(History history, Map<String, Set<String>> acknowledgedBy, UUID player, String server,
            String token, String lease, int kill, String killId) throws InterruptedException {
        String key = server + "/" + killId;
        Operation operation = history.begin("loot from " + server, key, player, "LootGranted", "dropId",
                Map.of("potion", 1L));
        HttpRequest request = Http.request(Service.GAME_ECONOMY, "/api/v1/players/" + player + "/grants", token,
                        Duration.ofSeconds(3))
                .header("Authority-Lease", lease).header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"currency\":{},\"items\":[{\"itemId\":\"potion\",\"quantity\":1}],"
                        + "\"reason\":\"kill-" + kill + "\"}"))
                .build();
        if (Http.untilDefinite(operation, request, "dropId", GIVE_UP, Duration.ofMillis(100)) == null) {
            return false;
        }
        acknowledgedBy.computeIfAbsent(killId, k -> ConcurrentHashMap.newKeySet()).add(server);
        return true;
    }

    private static String claim(UUID player, String gameServer) throws Exception {
        return Http.ok("claim " + player, Http.post(Service.PLAYER_CORE, "/api/v1/players/" + player + "/authority",
                gameServer, "", Map.of())).get("lease").asString();
    }

    private static String transfer(UUID player, String gameServer, String lease) throws Exception {
        return Http.ok("transfer " + player, Http.post(Service.PLAYER_CORE, "/api/v1/players/" + player
                + "/authority/transfer", gameServer, "{\"toServerId\":\"" + NEW + "\"}", Map.of("Authority-Lease", lease)))
                .get("lease").asString();
    }

    private static void sleepUntil(Instant instant) throws InterruptedException {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
