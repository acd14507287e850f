package dev.bulwark.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.bulwark.stack.DevClient;
import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;
import dev.bulwark.system.TransferStorm.Pair;
import dev.bulwark.system.TransferStorm.Player;
import dev.bulwark.testsupport.checker.AckChecker;
import dev.bulwark.testsupport.checker.Attempt;
import dev.bulwark.testsupport.checker.CheckReport;
import dev.bulwark.testsupport.checker.EconomyAdminApi;
import dev.bulwark.testsupport.checker.EconomyIdempotencyRecords;
import dev.bulwark.testsupport.checker.History;
import dev.bulwark.testsupport.checker.Ledgers;
import dev.bulwark.testsupport.checker.Operation;
import dev.bulwark.testsupport.checker.Outcome;

/**
 * Cross-shard transfers (two-phase commit across the economy's two shard servers) under faults,
 * on the real processes, during a storm of transfers from several clients that keep a log of
 * what was acknowledged: the economy SIGKILLed at each named point of the protocol (its crash
 * drill, {@code BULWARK_CRASH_POINT}, halts the JVM there), the link to shard1 cut between the
 * phases, and shard1's server stopped. After each, recovery leaves no prepared transaction on any
 * shard, and the checker finds every acknowledged transfer applied exactly once on both sides and
 * the GOLD of all players over all shards unchanged.
 *
 * <p>The restarts are chained to keep the test short (an economy start costs most of a minute
 * on two cores): the start that arms the next crash point is also the one that recovers the
 * previous crash, with the storm paused until it has.
 */
class CrossShardFaultSystemTests {

    private static final List<String> CRASH_POINTS = List.of("2pc-after-first-prepare", "2pc-after-decision",
            "2pc-after-first-commit");
    private static final int PLAYERS_PER_SHARD = 5;
    private static final int CLIENTS = 6;
    private static final int THINK_MILLIS = 150;
    /** Recovery runs every 2 s in the system stack ({@link SystemStack#DRILL_ENVIRONMENT}), with a 5 s grace. */
    private static final Duration RECOVERED = Duration.ofSeconds(60);
    private static final Pattern HALTED = Pattern.compile("Crash drill: halting at (\\S+) of bw_economy_(\\d+)");
    private static final String LIVE = "within shard0";

    @AfterEach
    void healTheLinks() throws Exception {
        SystemStack.healAllLinks();
    }

    /** What a crash left behind: the transaction it cut off, as the shards held it while the economy was down. */
    private record Crash(String point, long xid, Map<String, List<String>> prepared, boolean decided) {
    }

    @Test
    void theEconomyKilledAtEachPointOfATwoPhaseCommitThenTheShardLinkCutBetweenPhasesLosesAndDoublesNothing()
            throws Exception {
        StackController stack = SystemStack.get();
        String admin = admin();
        Map<String, List<Player>> byShard = players("twopc", admin);
        List<Player> all = byShard.values().stream().flatMap(List::stream).toList();
        Map<UUID, Ledgers.Holdings> baseline = baseline(all, admin);
        History history = new History();
        TransferStorm storm = TransferStorm.start(history, CLIENTS, mostlyAcross(byShard), THINK_MILLIS);
        long started = System.nanoTime();
        List<String> lines = new ArrayList<>();

        Thread.sleep(3000); // some acknowledgements before the first crash
        storm.pause();
        stack.stopService(Service.GAME_ECONOMY);
        Crash previous = null;
        for (String point : CRASH_POINTS) {
            long restart = System.nanoTime();
            stack.startService(Service.GAME_ECONOMY, Map.of("BULWARK_CRASH_POINT", point));
            if (previous != null) {
                lines.add(resolved(previous, restart));
            }
            storm.resume();
            await().alias("a cross-shard transfer reaches " + point).atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).until(() -> !stack.isAlive(Service.GAME_ECONOMY));
            storm.pause();
            previous = crash(point);
        }
        long restart = System.nanoTime();
        stack.startService(Service.GAME_ECONOMY);
        lines.add(resolved(previous, restart));
        storm.resume();

        // The link to shard1 cut between the phases: the test watches shard1 from outside the
        // link and cuts it the moment a transfer is prepared there (a latency on the link widens
        // the window); what is still prepared after the cut is in doubt until recovery after the heal.
        Map<String, Set<String>> caught = new TreeMap<>();
        for (int cut = 0; cut < 6 && caught.size() < 2; cut++) {
            stack.link("economy-shard1").latency(Duration.ofMillis(100), Duration.ZERO); // a heal lifts it
            awaitPreparedOnShard1(stack);
            stack.link("economy-shard1").cut();
            Thread.sleep(300);
            Set<String> inDoubt = new TreeSet<>(preparedGids().get(1));
            if (!inDoubt.isEmpty()) {
                caught.put("cut " + (cut + 1), inDoubt);
            }
            // Longer than the shard's connection timeout (3 s): the coordinator gives up on finishing
            // the transaction itself, and recovery settles it after the heal.
            Thread.sleep(4500);
            stack.link("economy-shard1").heal();
            Thread.sleep(6000); // past the shard's breaker (open 5 s), so transfers reach shard1 again
        }
        Instant healed = Instant.now();
        Thread.sleep(3000);
        storm.stop();
        await().alias("every transaction a cut left prepared is settled").atMost(RECOVERED)
                .until(() -> {
                    List<String> prepared = preparedGids().stream().flatMap(List::stream).toList();
                    return caught.values().stream().flatMap(Set::stream).noneMatch(prepared::contains);
                });
        lines.add("link economy-shard1 cut " + caught.size() + " time(s) with transactions prepared on shard1 "
                + caught + "; all settled " + Duration.between(healed, Instant.now()).toMillis() + " ms after the last heal");

        String report = check("Economy killed at each 2PC point, then the shard1 link cut between the phases", history,
                baseline, all, admin, lines, started);
        assertThat(caught).as("a cut that caught a cross-shard transfer prepared on shard1 (" + report + ")")
                .isNotEmpty();
    }

    @Test
    void aShardServerStoppedMidStormLeavesTheOtherShardsPlayersUnharmedAndSettlesAfterItsRestart() throws Exception {
        StackController stack = SystemStack.get();
        String admin = admin();
        Map<String, List<Player>> byShard = players("shard-stop", admin);
        List<Player> all = byShard.values().stream().flatMap(List::stream).toList();
        Map<UUID, Ledgers.Holdings> baseline = baseline(all, admin);
        History history = new History();
        long started = System.nanoTime();
        // Half the clients trade among shard0's players only; the rest across shards and on shard1.
        TransferStorm live = TransferStorm.start(history, CLIENTS / 2, random -> pair(byShard, "shard0", "shard0", LIVE,
                random), THINK_MILLIS);
        TransferStorm hurt = TransferStorm.start(history, CLIENTS / 2, mostlyAcross(byShard), THINK_MILLIS);
        Thread.sleep(4000);
        // Stopped while a transfer is prepared on it (a latency on the link widens the phases), so
        // that the restart has a transaction in doubt to settle.
        stack.link("economy-shard1").latency(Duration.ofMillis(100), Duration.ZERO);
        Set<String> preparedAtStop = awaitPreparedOnShard1(stack);
        stack.stopShard(StackController.ECONOMY_SHARD_1);
        Instant stopped = Instant.now();
        Thread.sleep(10_000);
        stack.startShard(StackController.ECONOMY_SHARD_1);
        Instant restarted = Instant.now();
        Thread.sleep(3000);
        live.stop();
        hurt.stop();
        await().alias("no transaction left prepared once shard1 is back").atMost(RECOVERED)
                .until(() -> preparedGids().stream().allMatch(List::isEmpty));
        long settled = Duration.between(restarted, Instant.now()).toMillis();
        SystemStack.healAllLinks();

        List<Operation> liveOperations = history.operations().stream()
                .filter(operation -> operation.kind().endsWith(LIVE)).toList();
        Map<String, Long> liveAnswersWhileDown = new TreeMap<>();
        Map<String, Long> hurtAnswersWhileDown = new TreeMap<>();
        for (Operation operation : history.operations()) {
            for (Attempt attempt : operation.attempts()) {
                if (attempt.start().isAfter(stopped) && attempt.end().isBefore(restarted)) {
                    (operation.kind().endsWith(LIVE) ? liveAnswersWhileDown : hurtAnswersWhileDown)
                            .merge(attempt.detail(), 1L, Long::sum);
                }
            }
        }
        String report = check("Shard1's server stopped mid-storm for 10 s", history, baseline, all, admin, List.of(
                "prepared on shard1 when it stopped: " + preparedAtStop,
                "shard0-only transfers' answers while shard1 was down: " + liveAnswersWhileDown,
                "other transfers' answers while shard1 was down: " + hurtAnswersWhileDown,
                "no transaction prepared on any shard " + settled + " ms after shard1's restart"), started);

        assertThat(liveAnswersWhileDown).as("shard0-only transfers answered while shard1 was down (%s)", report)
                .isNotEmpty();
        assertThat(liveOperations).as("shard0's players saw no error: every shard0-only transfer acknowledged at "
                + "its first attempt").allMatch(operation -> operation.attempts().size() == 1
                        && operation.outcome() == Outcome.ACKNOWLEDGED);
        assertThat(preparedAtStop).as("a transfer in doubt on shard1 when it stopped, settled after its restart")
                .isNotEmpty();
        assertThat(hurtAnswersWhileDown.keySet()).as("transfers touching shard1 while it was down")
                .anyMatch(detail -> detail.contains("shard-unavailable"));
    }

    @Test
    void aBankOfSixteenClientsAcrossFourShardsThroughAnEconomyKillKeepsItsTotal() throws Exception {
        StackController stack = SystemStack.get();
        String admin = admin();
        // Four shards as four fresh databases, two on each of the stack's PostgreSQL servers; the
        // economy alone restarts on them, and on its own two shards again at the end.
        SystemStack.EconomyShards four = SystemStack.economyShards(4);
        stack.stopService(Service.GAME_ECONOMY);
        try {
            long started = System.nanoTime();
            stack.startService(Service.GAME_ECONOMY, four.environment());
            Map<String, List<Player>> byShard = players("bank4", admin, four.ids(), 4);
            List<Player> all = byShard.values().stream().flatMap(List::stream).toList();
            Map<UUID, Ledgers.Holdings> baseline = baseline(all, admin);
            History history = new History();
            TransferStorm storm = TransferStorm.start(history, 16, random -> {
                Player from = all.get(random.nextInt(all.size()));
                Player to;
                do {
                    to = all.get(random.nextInt(all.size()));
                } while (to == from);
                return new Pair(from, to, from.shard().equals(to.shard()) ? "within a shard" : "cross-shard");
            }, 300);
            Thread.sleep(10_000);
            stack.killService(Service.GAME_ECONOMY);
            long killed = System.nanoTime();
            stack.startService(Service.GAME_ECONOMY, four.environment());
            long down = (System.nanoTime() - killed) / 1_000_000;
            Thread.sleep(10_000);
            storm.stop();
            check("Bank test: 16 clients, 4 shards, the economy killed mid-storm", history, baseline, all, admin,
                    List.of("players per shard: " + byShard.entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue().size()).toList(),
                            "economy SIGKILLed 10 s in, down " + down + " ms"), started, four.jdbcUrls());
        } finally {
            stack.stopService(Service.GAME_ECONOMY);
            stack.startService(Service.GAME_ECONOMY);
        }
    }

    /**
     * Returns the gids prepared on shard1 as soon as there are any (watched from outside the fault
     * link), or none after 15 s.
     */
    private static Set<String> awaitPreparedOnShard1(StackController stack) throws Exception {
        Instant watchUntil = Instant.now().plusSeconds(15);
        try (Connection shard1 = DriverManager.getConnection(stack.economyShardJdbcUrls().get(1),
                StackController.DB_USER, StackController.DB_PASSWORD);
                PreparedStatement prepared = shard1.prepareStatement(
                        "SELECT gid FROM pg_prepared_xacts WHERE gid LIKE 'bw_economy_%'")) {
            while (Instant.now().isBefore(watchUntil)) {
                Set<String> gids = new TreeSet<>();
                try (ResultSet rows = prepared.executeQuery()) {
                    while (rows.next()) {
                        gids.add(rows.getString(1));
                    }
                }
                if (!gids.isEmpty()) {
                    return gids;
                }
                Thread.sleep(5);
            }
        }
        return Set.of();
    }

    /** Two out of three transfers across the shards, the rest within one. */
    private static Function<ThreadLocalRandom, Pair> mostlyAcross(Map<String, List<Player>> byShard) {
        return random -> {
            if (random.nextInt(3) < 2) {
                boolean fromShard0 = random.nextBoolean();
                return pair(byShard, fromShard0 ? "shard0" : "shard1", fromShard0 ? "shard1" : "shard0", "cross-shard",
                        random);
            }
            String shard = random.nextBoolean() ? "shard0" : "shard1";
            return pair(byShard, shard, shard, "within " + shard, random);
        };
    }

    private static Pair pair(Map<String, List<Player>> byShard, String fromShard, String toShard, String label,
            ThreadLocalRandom random) {
        List<Player> senders = byShard.get(fromShard);
        List<Player> recipients = byShard.get(toShard);
        Player from = senders.get(random.nextInt(senders.size()));
        Player to;
        do {
            to = recipients.get(random.nextInt(recipients.size()));
        } while (to == from);
        return new Pair(from, to, label);
    }

    /** New players until each shard has {@link #PLAYERS_PER_SHARD}, with their wallets. */
    private static Map<String, List<Player>> players(String prefix, String admin) throws Exception {
        return players(prefix, admin, List.of("shard0", "shard1"), PLAYERS_PER_SHARD);
    }

    private static Map<String, List<Player>> players(String prefix, String admin, List<String> shards, int perShard)
            throws Exception {
        Map<String, List<Player>> byShard = new TreeMap<>();
        shards.forEach(shard -> byShard.put(shard, new ArrayList<>()));
        for (int i = 0; byShard.values().stream().anyMatch(list -> list.size() < perShard); i++) {
            SystemStack.Registered registered = SystemStack.register(prefix + "-" + i + "-" + SystemStack.shortId());
            String shard = SystemStack.getJson(Service.GAME_ECONOMY, "/api/v1/admin/players/" + registered.id() + "/shard",
                    admin).get("shardId").asString();
            List<Player> on = byShard.get(shard);
            if (on.size() < perShard) {
                on.add(new Player(registered.id(), registered.token(), shard));
            }
        }
        return byShard;
    }

    private static Map<UUID, Ledgers.Holdings> baseline(List<Player> players, String admin) throws Exception {
        EconomyAdminApi ledgers = new EconomyAdminApi(Service.GAME_ECONOMY.baseUrl(), admin);
        Map<UUID, Ledgers.Holdings> baseline = new LinkedHashMap<>();
        for (Player player : players) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                    SystemStack.get(Service.GAME_ECONOMY, "/api/v1/players/" + player.id() + "/wallet", admin)
                            .statusCode() == 200);
            baseline.put(player.id(), ledgers.holdings(player.id()));
        }
        return baseline;
    }

    private static String admin() throws Exception {
        return SystemStack.clientToken(DevClient.OPERATOR.clientId(), DevClient.OPERATOR.secret());
    }

    /** The economy's gids prepared on each shard, shard0 first, read from outside the fault links. */
    private static List<List<String>> preparedGids() throws Exception {
        return preparedGids(SystemStack.get().economyShardJdbcUrls());
    }

    private static List<List<String>> preparedGids(List<String> shardUrls) throws Exception {
        return SystemStack.onEach(shardUrls, db -> {
            List<String> gids = new ArrayList<>();
            try (PreparedStatement query = db.prepareStatement(
                    "SELECT gid FROM pg_prepared_xacts WHERE database = current_database() AND gid LIKE 'bw_economy_%'");
                    ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    gids.add(rows.getString(1));
                }
            }
            return gids;
        });
    }

    private static long decisionRows(long xid) throws Exception {
        return SystemStack.onEveryEconomyShard(db -> {
            try (PreparedStatement query = db.prepareStatement(
                    "SELECT count(*) FROM twophase_decision WHERE coordinator = 'economy' AND xid = ?")) {
                query.setLong(1, xid);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        }).get(0);
    }

    /** The transaction the drill halted at {@code point}, and what the shards hold of it while the economy is down. */
    private static Crash crash(String point) throws Exception {
        Path log = SystemStack.STATE.resolve("logs").resolve(Service.GAME_ECONOMY.id() + ".log");
        long xid = -1;
        try (Stream<String> lines = Files.lines(log)) {
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher halted = HALTED.matcher(line);
                if (halted.find() && halted.group(1).equals(point)) {
                    xid = Long.parseLong(halted.group(2));
                }
            }
        }
        assertThat(xid).as("the economy log names the transaction halted at %s", point).isPositive();
        String prefix = "bw_economy_" + xid + "_";
        List<List<String>> gids = preparedGids();
        Map<String, List<String>> prepared = new LinkedHashMap<>();
        for (int shard = 0; shard < gids.size(); shard++) {
            List<String> mine = gids.get(shard).stream().filter(gid -> gid.startsWith(prefix)).toList();
            if (!mine.isEmpty()) {
                prepared.put("shard" + shard, mine);
            }
        }
        boolean decided = decisionRows(xid) > 0;
        int preparedCount = prepared.values().stream().mapToInt(List::size).sum();
        switch (point) {
            case "2pc-after-first-prepare" -> {
                assertThat(preparedCount).as("one participant prepared at %s", point).isEqualTo(1);
                assertThat(decided).as("no decision at %s", point).isFalse();
            }
            case "2pc-after-decision" -> {
                assertThat(preparedCount).as("both participants prepared at %s", point).isEqualTo(2);
                assertThat(decided).as("the decision committed at %s", point).isTrue();
            }
            default -> {
                assertThat(preparedCount).as("one participant still prepared at %s", point).isEqualTo(1);
                assertThat(decided).as("the decision committed at %s", point).isTrue();
            }
        }
        return new Crash(point, xid, prepared, decided);
    }

    /** Waits until recovery settled the crash's transaction (no gid prepared, no decision row left). */
    private static String resolved(Crash crash, long restartNanos) throws Exception {
        long healthy = (System.nanoTime() - restartNanos) / 1_000_000;
        String prefix = "bw_economy_" + crash.xid() + "_";
        await().alias("recovery settles the transaction halted at " + crash.point()).atMost(RECOVERED)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> preparedGids().stream().flatMap(List::stream).noneMatch(gid -> gid.startsWith(prefix))
                        && decisionRows(crash.xid()) == 0);
        long settled = (System.nanoTime() - restartNanos) / 1_000_000;
        return String.format("%s: transaction %d halted with %s prepared, decision %s; economy healthy %d ms after the"
                + " restart began, transaction %s by recovery %d ms after it", crash.point(), crash.xid(), crash.prepared(),
                crash.decided() ? "committed" : "absent", healthy, crash.decided() ? "committed" : "rolled back", settled);
    }

    /**
     * The checks every case ends with: no prepared transaction on any shard, the checker of
     * acknowledged operations clean, each transfer in the ledgers on both sides exactly once, and
     * the GOLD of the storm's players unchanged in total. Writes the report and returns it.
     */
    private static String check(String title, History history, Map<UUID, Ledgers.Holdings> baseline,
            List<Player> players, String admin, List<String> lines, long startedNanos) throws Exception {
        return check(title, history, baseline, players, admin, lines, startedNanos, SystemStack.get().economyShardJdbcUrls());
    }

    private static String check(String title, History history, Map<UUID, Ledgers.Holdings> baseline,
            List<Player> players, String admin, List<String> lines, long startedNanos, List<String> shardUrls)
            throws Exception {
        await().alias("no transaction prepared on any shard").atMost(RECOVERED)
                .until(() -> preparedGids(shardUrls).stream().allMatch(List::isEmpty));
        EconomyAdminApi ledgers = new EconomyAdminApi(Service.GAME_ECONOMY.baseUrl(), admin);
        CheckReport report = AckChecker.check(history, ledgers, baseline, new EconomyIdempotencyRecords(
                StackController.DB_USER, StackController.DB_PASSWORD, shardUrls.toArray(String[]::new)));

        Map<String, Integer> sent = new HashMap<>();
        Map<String, Integer> received = new HashMap<>();
        long goldBefore = 0;
        long goldAfter = 0;
        for (Player player : players) {
            for (Ledgers.Entry entry : ledgers.ledger(player.id())) {
                if (entry.type().equals("TransferSent")) {
                    sent.merge(entry.payload().get("transferId").asString(), 1, Integer::sum);
                } else if (entry.type().equals("TransferReceived")) {
                    received.merge(entry.payload().get("transferId").asString(), 1, Integer::sum);
                }
            }
            goldBefore += baseline.get(player.id()).supply().getOrDefault("GOLD", 0L);
            goldAfter += ledgers.holdings(player.id()).supply().getOrDefault("GOLD", 0L);
        }
        Map<String, Long> byKind = new TreeMap<>();
        history.operations().stream().filter(operation -> operation.outcome() == Outcome.ACKNOWLEDGED)
                .forEach(operation -> byKind.merge(operation.kind(), 1L, Long::sum));
        String text = String.format("# %s%n%n%d s in all; acknowledged by kind: %s; GOLD over all shards %d before,"
                + " %d after%n%n%s%n%n%s", title, (System.nanoTime() - startedNanos) / 1_000_000_000, byKind, goldBefore,
                goldAfter, String.join("\n", lines.stream().map(line -> "- " + line).toList()), report.markdown());
        Path file = SystemStack.STATE.resolveSibling("fault-reports")
                .resolve(title.toLowerCase().replaceAll("[^a-z0-9]+", "-") + ".md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        System.out.printf("[system-test] report in %s%n%s%n", file, text);

        assertThat(report.violations()).as("the checker's violations").isEmpty();
        assertThat(report.answers().keySet()).as("answers other than 2xx: a 503 problem+json, a timeout or a cut"
                + " connection, never a 500").noneMatch(detail -> detail.startsWith("HTTP 500"));
        assertThat(received).as("every transfer on the recipient's side once, as on the sender's").isEqualTo(sent);
        assertThat(sent.values()).allMatch(count -> count == 1);
        assertThat(goldAfter).as("GOLD over all shards").isEqualTo(goldBefore);
        assertThat(byKind.getOrDefault("transfer cross-shard", 0L)).as("cross-shard transfers acknowledged")
                .isGreaterThan(20);
        for (Player player : players) {
            assertThat(ledgers.holdings(player.id()).negative()).as("negative holdings").isEmpty();
        }
        return text;
    }
}
