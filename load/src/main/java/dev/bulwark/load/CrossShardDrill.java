package dev.bulwark.load;

import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;
import dev.bulwark.testsupport.checker.AckChecker;
import dev.bulwark.testsupport.checker.CheckReport;
import dev.bulwark.testsupport.checker.EconomyAdminApi;
import dev.bulwark.testsupport.checker.EconomyIdempotencyRecords;
import dev.bulwark.testsupport.checker.History;
import dev.bulwark.testsupport.checker.Ledgers;
import dev.bulwark.testsupport.checker.Operation;
import dev.bulwark.testsupport.checker.Outcome;

/**
 * Drill 1: GOLD transfers between players of the economy's two shards (each a two-phase commit),
 * while the link to shard1 is cut (transactions caught between their phases stay prepared until
 * recovery finishes them) and, in the full variant, while the coordinator is killed right after
 * its decision ({@code BULWARK_CRASH_POINT=2pc-after-decision}) and started again. Afterwards the
 * GOLD of the drill's players is what it was, no prepared transaction is left on either shard,
 * and the checker finds every acknowledged transfer in the ledgers once.
 */
final class CrossShardDrill implements Drill {

    private static final Duration GIVE_UP = Duration.ofSeconds(20);
    private static final Duration PREPARED_CLEARED_WITHIN = Duration.ofSeconds(60);

    @Override
    public String name() {
        return "cross-shard";
    }

    @Override
    public String title() {
        return "1. Cross-shard transfers, the link to a shard cut between the phases"
                + " (full variant: the coordinator killed there too)";
    }

    @Override
    public DrillResult run(Context context) throws Exception {
        DrillStack drill = context.stack();
        Timeline timeline = new Timeline();
        DrillResult result = new DrillResult(name(), title(), timeline);
        String prefix = "bank-" + System.currentTimeMillis() % 1_000_000;
        List<UUID> players = Fixtures.insertAccounts(drill.stack, prefix, 12);
        Fixtures.awaitWallets(players, drill.admin, Duration.ofMinutes(2));
        List<UUID> shard0 = new ArrayList<>();
        List<UUID> shard1 = new ArrayList<>();
        for (UUID player : players) {
            String shard = Http.ok("shard of " + player, Http.get(Service.GAME_ECONOMY, "/api/v1/admin/players/" + player
                    + "/shard", drill.admin)).get("shardId").asString();
            (shard.equals(StackController.ECONOMY_SHARD_0) ? shard0 : shard1).add(player);
        }
        if (shard0.isEmpty() || shard1.isEmpty()) {
            throw new IllegalStateException("the drill's players all landed on one shard: " + shard0 + " " + shard1);
        }
        EconomyAdminApi ledgers = new EconomyAdminApi(Service.GAME_ECONOMY.baseUrl(), drill.admin);
        Map<UUID, Ledgers.Holdings> baseline = new LinkedHashMap<>();
        for (UUID player : players) {
            baseline.put(player, ledgers.holdings(player));
        }
        long goldBefore = gold(baseline.values());
        // The senders' own tokens: each player's write budget is its own (an admin's would be shared by all).
        Map<UUID, String> tokens = new LinkedHashMap<>();
        for (int i = 0; i < players.size(); i++) {
            tokens.put(players.get(i), Http.login(prefix + "-" + i, Fixtures.PASSWORD));
        }

        History history = new History();
        AtomicBoolean running = new AtomicBoolean(true);
        context.probe().recordInto(timeline);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> work = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                work.add(clients.submit(() -> {
                    while (running.get()) {
                        boolean fromFirst = ThreadLocalRandom.current().nextBoolean();
                        List<UUID> senders = fromFirst ? shard0 : shard1;
                        List<UUID> recipients = fromFirst ? shard1 : shard0;
                        UUID from = senders.get(ThreadLocalRandom.current().nextInt(senders.size()));
                        UUID to = recipients.get(ThreadLocalRandom.current().nextInt(recipients.size()));
                        transfer(history, tokens.get(from), from, to);
                        Thread.sleep(50);
                    }
                    return null;
                }));
            }
            Thread.sleep(context.pick(5, 20).toMillis());
            Timeline.Window cut = timeline.begin("economy-shard1 cut");
            drill.stack.link("economy-shard1").cut();
            Thread.sleep(context.pick(6, 20).toMillis());
            drill.stack.link("economy-shard1").heal();
            timeline.end(cut);
            Thread.sleep(context.pick(5, 15).toMillis());
            if (!context.shortRun()) {
                Timeline.Window kill = timeline.begin("economy killed after a 2PC decision, restarted");
                drill.stack.stopService(Service.GAME_ECONOMY);
                drill.stack.startService(Service.GAME_ECONOMY, Map.of("BULWARK_CRASH_POINT", "2pc-after-decision"));
                Instant giveUp = Instant.now().plusSeconds(120);
                while (drill.stack.isAlive(Service.GAME_ECONOMY) && Instant.now().isBefore(giveUp)) {
                    Thread.sleep(100);
                }
                result.notes.add("the economy halted at 2pc-after-decision: " + !drill.stack.isAlive(Service.GAME_ECONOMY));
                drill.stack.startService(Service.GAME_ECONOMY);
                timeline.end(kill);
                Thread.sleep(context.pick(5, 15).toMillis());
            }
            running.set(false);
            for (Future<?> client : work) {
                client.get();
            }
        } finally {
            context.probe().recordInto(null);
            drill.stack.link("economy-shard1").heal();
        }

        Instant giveUp = Instant.now().plus(PREPARED_CLEARED_WITHIN);
        long prepared = prepared(drill.stack);
        while (prepared > 0 && Instant.now().isBefore(giveUp)) {
            Thread.sleep(500);
            prepared = prepared(drill.stack);
        }
        CheckReport report = AckChecker.check(history, ledgers, baseline, new EconomyIdempotencyRecords(
                StackController.DB_USER, StackController.DB_PASSWORD,
                drill.stack.economyShardJdbcUrls().toArray(String[]::new)));
        Map<UUID, Ledgers.Holdings> after = new LinkedHashMap<>();
        for (UUID player : players) {
            after.put(player, ledgers.holdings(player));
        }
        long goldAfter = gold(after.values());
        long acknowledged = report.operations().getOrDefault(Outcome.ACKNOWLEDGED, 0L);
        result.notes.add(String.format("%d players (%d on shard0, %d on shard1), %d transfers tried (%d attempts): %s",
                players.size(), shard0.size(), shard1.size(), history.operations().size(), report.attempts(),
                report.operations()));
        report.violations().stream().limit(10).forEach(violation -> result.notes.add("checker: " + violation));
        result.check("conservation: the drill's players' GOLD over both shards' ledgers", goldBefore + " before, "
                + goldAfter + " after", "equal", goldBefore == goldAfter);
        result.check("no prepared transaction left on either shard", prepared + " (within "
                + PREPARED_CLEARED_WITHIN.toSeconds() + " s)", "0", prepared == 0);
        result.check("every acknowledged transfer once in the ledgers, nothing unexplained (checker)",
                report.violations().size() + " violations of " + acknowledged + " acknowledged", "0",
                report.violations().isEmpty() && acknowledged > 0);
        return result;
    }

    private static long gold(Iterable<Ledgers.Holdings> holdings) {
        long sum = 0;
        for (Ledgers.Holdings holding : holdings) {
            sum += holding.supply().getOrDefault("GOLD", 0L);
        }
        return sum;
    }

    /** Prepared transactions on the economy's shards, asked directly (not through the links). */
    private static long prepared(StackController stack) throws Exception {
        long count = 0;
        for (String url : stack.economyShardJdbcUrls()) {
            try (Connection db = DriverManager.getConnection(url, StackController.DB_USER, StackController.DB_PASSWORD);
                    ResultSet rows = db.createStatement().executeQuery(
                            "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()")) {
                rows.next();
                count += rows.getLong(1);
            }
        }
        return count;
    }

    /** One transfer of 1 GOLD, retried with its key until the answer is definite. */
    private static void transfer(History history, String token, UUID from, UUID to) throws InterruptedException {
        String key = UUID.randomUUID().toString();
        Operation operation = history.beginAcross("transfer", key, from, "TransferSent", "transferId",
                Map.of(from, Map.of("GOLD", -1L), to, Map.of("GOLD", 1L)));
        HttpRequest request = Http.request(Service.GAME_ECONOMY, "/api/v1/transfers", token, Duration.ofSeconds(3))
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"fromPlayerId\":\"" + from + "\",\"toPlayerId\":\"" + to
                        + "\",\"currency\":{\"GOLD\":1},\"items\":[]}"))
                .build();
        Http.untilDefinite(operation, request, "transferId", GIVE_UP, Duration.ofMillis(200));
    }
}
