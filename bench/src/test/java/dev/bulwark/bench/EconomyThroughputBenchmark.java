package dev.bulwark.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.bulwark.bench.BenchStack.Player;
import dev.bulwark.stack.DevClient;
import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Economy writes over HTTP on the real stack against pgbench's TPC-B on the same PostgreSQL, in
 * one run: potion-pack purchases, GOLD transfers between players of one shard and GOLD transfers
 * across the stack's two shards (a two-phase commit) from concurrent clients for a fixed time
 * each (throughput, p50, p99), then pgbench in a scratch database of the same server, and the
 * ratios, the cross-shard transfers' against the same-shard ones' being the price of two-phase
 * commit. Also counts the database transactions the economy commits per write, over every
 * shard's database. Results go to stdout and target/economy-throughput-results.md.
 */
class EconomyThroughputBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
    /** Players transferring GOLD to each other. */
    private static final int TRADERS = Integer.getInteger("bench.traders", 32);
    /**
     * Players buying potion packs: a player can buy 19 packs (5 potions each, a stack holds 99;
     * 50 GOLD each out of the 1,000 starter GOLD), so the purchase phase ends early if it uses
     * up every buyer's 19 packs.
     */
    private static final int BUYERS = Integer.getInteger("bench.buyers", 300);
    private static final int PACKS_PER_BUYER = 19;
    private static final int CLIENTS = Integer.getInteger("bench.clients", 16);
    /**
     * The transfers' warm-up: long enough for the services' C2 compiler to finish the request path
     * on a shared machine (5 s left it compiling through the measured phase). The purchases,
     * sharing most of that path, warm up for a third of it, so as not to sell the packs the
     * measured phase needs.
     */
    private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmUpSeconds", 15));
    private static final Duration DURATION = Duration.ofSeconds(Long.getLong("bench.seconds", 30));
    private static final int PGBENCH_SCALE = Integer.getInteger("bench.pgbenchScale", 10);
    private static final String SCRATCH_DATABASE = "pgbench_scratch";
    /** zonky's embedded server: superuser postgres, trusted on localhost. */
    private static final String SUPERUSER = "postgres";
    private static final int PG_PORT = 5432;

    /** One timed phase: latencies of the successful calls, failures by status, wall time. */
    private record Phase(String name, long[] micros, int failures, String failureStatuses, double seconds,
            boolean ranOut) {

        double throughput() {
            return micros.length / seconds;
        }

        double percentileMs(int percentile) {
            return EconomyThroughputBenchmark.percentile(micros, percentile) / 1000.0;
        }
    }

    private record PgbenchResult(double tps, double averageMs, double p50Ms, double p99Ms, long transactions,
            String version, CpuAccounting.Snapshot cpu) {
    }

    private interface Operation {
        /** Returns the HTTP status. */
        int run(long sequence) throws Exception;
    }

    @Test
    void economyWritesBesidePgbench() throws Exception {
        String pgbench = findPgbench();
        String machine = describeMachine() + "; load average at the start: " + loadAverage();
        try (StackController stack = BenchStack.fresh()) {
            stack.start();
            long registering = System.nanoTime();
            List<Player> traders = registerAll(TRADERS);
            List<List<Player>> tradersByShard = byShard(traders);
            List<Player> buyers = registerAll(BUYERS);
            awaitWallets(traders);
            awaitWallets(buyers);
            System.out.printf(Locale.ROOT, "[bench] %d players registered with wallets in %.1f s%n",
                    TRADERS + BUYERS, (System.nanoTime() - registering) / 1e9);

            ConcurrentLinkedQueue<Player> packs = new ConcurrentLinkedQueue<>();
            for (int round = 0; round < PACKS_PER_BUYER; round++) {
                packs.addAll(buyers);
            }
            Operation transfer = sequence -> transfer(traders);
            Operation sameShard = sequence -> {
                List<Player> shard = tradersByShard.get(ThreadLocalRandom.current().nextInt(tradersByShard.size()));
                return transfer(shard, shard);
            };
            Operation crossShard = sequence -> {
                int from = ThreadLocalRandom.current().nextInt(tradersByShard.size());
                return transfer(tradersByShard.get(from), tradersByShard.get((from + 1) % tradersByShard.size()));
            };
            Operation purchase = sequence -> {
                Player buyer = packs.poll();
                return buyer == null ? 0 : purchase(buyer);
            };

            run("warm-up transfers", transfer, WARM_UP, () -> false);
            run("warm-up purchases", purchase, WARM_UP.dividedBy(3), packs::isEmpty);

            double idleRate = idleTransactionRate(stack);
            CpuAccounting cpu = new CpuAccounting(BenchStack.STATE);
            long before = economyTransactions(stack);
            CpuAccounting.Snapshot cpuBefore = cpu.snapshot();
            Phase transfers = run("GOLD transfer within a shard", sameShard, DURATION, () -> false);
            CpuAccounting.Snapshot cpuTransfers = cpu.snapshot().minus(cpuBefore);
            long afterSameShard = economyTransactions(stack);
            CpuAccounting.Snapshot cpuBeforeCross = cpu.snapshot();
            Phase crossTransfers = run("GOLD transfer across shards (2PC)", crossShard, DURATION, () -> false);
            CpuAccounting.Snapshot cpuCross = cpu.snapshot().minus(cpuBeforeCross);
            long afterTransfers = economyTransactions(stack);
            CpuAccounting.Snapshot cpuBeforePurchases = cpu.snapshot();
            Phase purchases = run("potion-pack purchase", purchase, DURATION, packs::isEmpty);
            CpuAccounting.Snapshot cpuPurchases = cpu.snapshot().minus(cpuBeforePurchases);
            long afterPurchases = economyTransactions(stack);
            double transferTransactions = (afterSameShard - before - idleRate * transfers.seconds())
                    / (transfers.micros().length + transfers.failures());
            double crossTransactions = (afterTransfers - afterSameShard - idleRate * crossTransfers.seconds())
                    / (crossTransfers.micros().length + crossTransfers.failures());
            double purchaseTransactions = (afterPurchases - afterTransfers - idleRate * purchases.seconds())
                    / (purchases.micros().length + purchases.failures());

            String serverVersion = serverVersion(stack);
            PgbenchResult tpcb = pgbench(pgbench, cpu);
            String cpuTables = CpuAccounting.table("CPU during the GOLD transfers within a shard", cpuTransfers,
                    transfers.micros().length + transfers.failures())
                    + CpuAccounting.table("CPU during the GOLD transfers across shards", cpuCross,
                            crossTransfers.micros().length + crossTransfers.failures())
                    + CpuAccounting.table("CPU during the potion-pack purchases", cpuPurchases,
                            purchases.micros().length + purchases.failures())
                    + CpuAccounting.table("CPU during pgbench's run (per TPC-B transaction)", tpcb.cpu(),
                            tpcb.transactions());
            report(machine, serverVersion, transfers, crossTransfers, purchases, tpcb, idleRate, transferTransactions,
                    crossTransactions, purchaseTransactions, cpuTables);
        }
    }

    /** C clients for a fixed time; a client stops early when {@code exhausted} says there is nothing left. */
    private static Phase run(String name, Operation operation, Duration duration,
            java.util.function.BooleanSupplier exhausted) throws Exception {
        List<List<Long>> latencies = new ArrayList<>();
        List<List<Integer>> failures = new ArrayList<>();
        long started = System.nanoTime();
        long deadline = started + duration.toNanos();
        long[] lastEnd = new long[CLIENTS];
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                List<Long> mine = new ArrayList<>();
                List<Integer> failed = new ArrayList<>();
                latencies.add(mine);
                failures.add(failed);
                int client = c;
                running.add(clients.submit(() -> {
                    long sequence = 0;
                    while (System.nanoTime() < deadline) {
                        long begin = System.nanoTime();
                        int status;
                        try {
                            status = operation.run(sequence++);
                        }
                        catch (Exception e) {
                            status = -1;
                        }
                        long end = System.nanoTime();
                        if (status == 0) {
                            break; // nothing left to buy
                        }
                        if (status / 100 == 2) {
                            mine.add((end - begin) / 1_000);
                        }
                        else {
                            failed.add(status);
                        }
                        lastEnd[client] = end;
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        }
        long finished = 0;
        for (long end : lastEnd) {
            finished = Math.max(finished, end);
        }
        double seconds = (Math.max(finished, started + 1) - started) / 1e9;
        long[] micros = latencies.stream().flatMap(List::stream).mapToLong(Long::longValue).sorted().toArray();
        List<Integer> failed = failures.stream().flatMap(List::stream).sorted().toList();
        String statuses = failed.stream().distinct()
                .map(status -> status + "×" + Collections.frequency(failed, status)).toList().toString();
        Phase phase = new Phase(name, micros, failed.size(), statuses, seconds, exhausted.getAsBoolean());
        System.out.printf(Locale.ROOT, "[bench] %s: %d ok, %d failed %s in %.1f s = %.1f/s, p50 %.1f ms, p99 %.1f ms%n",
                name, micros.length, failed.size(), statuses, seconds, phase.throughput(), phase.percentileMs(50),
                phase.percentileMs(99));
        return phase;
    }

    private static int transfer(List<Player> traders) throws Exception {
        return transfer(traders, traders);
    }

    /** A GOLD transfer from one of {@code senders} to another player, one of {@code recipients}. */
    private static int transfer(List<Player> senders, List<Player> recipients) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Player from = senders.get(random.nextInt(senders.size()));
        Player to;
        do {
            to = recipients.get(random.nextInt(recipients.size()));
        } while (to == from);
        String body = "{\"fromPlayerId\":\"" + from.id() + "\",\"toPlayerId\":\"" + to.id()
                + "\",\"currency\":{\"GOLD\":1},\"items\":[]}";
        return post(Service.GAME_ECONOMY, "/api/v1/transfers", from.token(), body).statusCode();
    }

    private static int purchase(Player buyer) throws Exception {
        return post(Service.GAME_ECONOMY, "/api/v1/players/" + buyer.id() + "/purchases", buyer.token(),
                "{\"offerId\":\"potion-pack\",\"quantity\":1}").statusCode();
    }

    private static HttpResponse<String> post(Service service, String path, String token, String body)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(BenchStack.uri(service, path)).timeout(CLIENT_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Player> registerAll(int count) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Player>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(() -> BenchStack.register(HTTP, CLIENT_TIMEOUT)));
            }
            List<Player> players = new ArrayList<>();
            for (Future<Player> future : futures) {
                players.add(future.get());
            }
            return players;
        }
    }

    /** The players grouped by the shard the economy says owns them (the stack runs two). */
    private static List<List<Player>> byShard(List<Player> players) throws Exception {
        HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(BenchStack.uri(Service.PLAYER_CORE, "/api/v1/auth/token"))
                .timeout(CLIENT_TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"clientId\":\"" + DevClient.OPERATOR.clientId()
                        + "\",\"clientSecret\":\"" + DevClient.OPERATOR.secret() + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        String admin = JSON.readTree(token.body()).get("accessToken").asString();
        java.util.Map<String, List<Player>> shards = new java.util.TreeMap<>();
        for (Player player : players) {
            HttpResponse<String> shard = HTTP.send(HttpRequest.newBuilder(BenchStack.uri(Service.GAME_ECONOMY,
                    "/api/v1/admin/players/" + player.id() + "/shard")).timeout(CLIENT_TIMEOUT)
                    .header("Authorization", "Bearer " + admin).GET().build(), HttpResponse.BodyHandlers.ofString());
            shards.computeIfAbsent(JSON.readTree(shard.body()).get("shardId").asString(), s -> new ArrayList<>())
                    .add(player);
        }
        System.out.printf(Locale.ROOT, "[bench] traders per shard: %s%n",
                shards.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().size()).toList());
        if (shards.size() < 2 || shards.values().stream().anyMatch(list -> list.size() < 2)) {
            throw new IllegalStateException("Need two traders on each of two shards: " + shards.keySet());
        }
        return List.copyOf(shards.values());
    }

    private static void awaitWallets(List<Player> players) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        for (Player player : players) {
            while (HTTP.send(HttpRequest.newBuilder(BenchStack.uri(Service.GAME_ECONOMY, "/api/v1/players/" + player.id() + "/wallet"))
                    .timeout(CLIENT_TIMEOUT).header("Authorization", "Bearer " + player.token()).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no wallet for " + player.id() + " after 2 minutes");
                }
                Thread.sleep(200);
            }
        }
    }

    // --- what the economy costs the database ---

    /**
     * Commits plus rollbacks in the economy's databases, every shard's, as the statistics collector
     * counts them (a COMMIT PREPARED counts as a commit of the database it ran in).
     */
    private static long economyTransactions(StackController stack) throws Exception {
        // Backends flush their counters to shared statistics at most once a second.
        Thread.sleep(1_500);
        long transactions = 0;
        for (String url : stack.economyShardJdbcUrls()) {
            try (Connection connection = DriverManager.getConnection(url, SUPERUSER, "");
                 Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery(
                         "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()")) {
                result.next();
                transactions += result.getLong(1);
            }
        }
        return transactions;
    }

    /** Transactions per second the economy runs on its own (jobs, outbox, polling), measured idle. */
    private static double idleTransactionRate(StackController stack) throws Exception {
        long first = economyTransactions(stack);
        long started = System.nanoTime();
        Thread.sleep(5_000);
        long second = economyTransactions(stack);
        // The second read's own flush wait (and this query) lies inside the window too.
        return (second - first - 1) / ((System.nanoTime() - started) / 1e9);
    }

    private static String serverVersion(StackController stack) throws SQLException {
        try (Connection connection = superuser(stack, "postgres");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT current_setting('server_version') || ' (fsync '"
                     + " || current_setting('fsync') || ', synchronous_commit ' || current_setting('synchronous_commit')"
                     + " || ', shared_buffers ' || current_setting('shared_buffers') || ')'")) {
            result.next();
            return result.getString(1);
        }
    }

    private static Connection superuser(StackController stack, String database) throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(database), SUPERUSER, "");
    }

    // --- pgbench ---

    /** PGBENCH, then PATH, then Debian's versioned directories; fails saying how to get one. */
    static String findPgbench() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("PGBENCH");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!directory.isBlank()) {
                candidates.add(Path.of(directory, "pgbench"));
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.sorted(Collections.reverseOrder()).forEach(v -> candidates.add(v.resolve("bin/pgbench")));
            }
            catch (IOException ignored) {
                // no Debian layout: nothing to add
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Path::toString)
                .orElseThrow(() -> new IllegalStateException("""
                        pgbench not found (looked at $PGBENCH, PATH and /usr/lib/postgresql/*/bin). Install it, e.g. \
                        on Debian/Ubuntu `apt-get install -y postgresql-client-17` (or the postgresql-client-NN that \
                        `apt-cache policy postgresql-client` offers; pgbench ships with the client package), or set \
                        PGBENCH=/path/to/pgbench."""));
    }

    private static PgbenchResult pgbench(String pgbench, CpuAccounting cpu) throws Exception {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + PG_PORT + "/postgres", SUPERUSER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + SCRATCH_DATABASE);
            statement.execute("CREATE DATABASE " + SCRATCH_DATABASE);
        }
        Path work = Files.createDirectories(Path.of("target/pgbench").toAbsolutePath());
        try (Stream<Path> old = Files.list(work)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
        List<String> connect = List.of("-h", "localhost", "-p", String.valueOf(PG_PORT), "-U", SUPERUSER);
        String version = exec(work, List.of(pgbench, "--version")).trim();
        long init = System.nanoTime();
        exec(work, concat(List.of(pgbench, "-i", "-q", "-s", String.valueOf(PGBENCH_SCALE)), connect,
                List.of(SCRATCH_DATABASE)));
        System.out.printf(Locale.ROOT, "[bench] pgbench -i -s %d in %.1f s%n", PGBENCH_SCALE,
                (System.nanoTime() - init) / 1e9);
        // -l logs every transaction's latency (µs, 3rd column) so that p50/p99 compare with the economy's.
        CpuAccounting.Snapshot cpuBefore = cpu.snapshot();
        String output = exec(work, concat(List.of(pgbench, "-c", String.valueOf(CLIENTS), "-j", "2", "-T",
                String.valueOf(DURATION.toSeconds()), "-M", "prepared", "-l"), connect, List.of(SCRATCH_DATABASE)));
        CpuAccounting.Snapshot cpuRun = cpu.snapshot().minus(cpuBefore);
        System.out.println("[bench] pgbench:\n" + output);
        double tps = number(output, "tps = ([0-9.]+) \\(without initial connection time\\)");
        double average = number(output, "latency average = ([0-9.]+) ms");
        List<Long> latencies = new ArrayList<>();
        try (Stream<Path> logs = Files.list(work)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("pgbench_log")).toList()) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length >= 3) {
                        latencies.add(Long.parseLong(fields[2]));
                    }
                }
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + PG_PORT + "/postgres", SUPERUSER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + SCRATCH_DATABASE);
        }
        return new PgbenchResult(tps, average, percentile(sorted, 50) / 1000.0, percentile(sorted, 99) / 1000.0,
                sorted.length, version, cpuRun);
    }

    private static String exec(Path directory, List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    private static double number(String text, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("no '" + pattern + "' in pgbench's output:\n" + text);
        }
        return Double.parseDouble(matcher.group(1));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }

    // --- the report ---

    private static String describeMachine() throws Exception {
        String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> l.replaceAll("\\D+", "")).map(kb -> String.format(Locale.ROOT, "%.1f GiB",
                        Long.parseLong(kb) / 1024.0 / 1024.0)).orElse("?");
        return String.format(Locale.ROOT, "%d cores (%s), %s memory, JDK %s (%s)",
                Runtime.getRuntime().availableProcessors(), model, memory, Runtime.version(),
                System.getProperty("java.vendor"));
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    private static void report(String machine, String serverVersion, Phase transfers, Phase crossTransfers,
            Phase purchases, PgbenchResult tpcb, double idleRate, double transferTransactions, double crossTransactions,
            double purchaseTransactions, String cpuTables) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
                "Machine: %s; PostgreSQL %s; %s; load average at the end: %s%n%n",
                machine, serverVersion, tpcb.version(), loadAverage()));
        out.append(String.format(Locale.ROOT,
                "%d clients, %d s per row after a warm-up (%d s of transfers, %d s of purchases); %d traders, %d buyers%n%n",
                CLIENTS, DURATION.toSeconds(), WARM_UP.toSeconds(), WARM_UP.dividedBy(3).toSeconds(), TRADERS, BUYERS));
        out.append("| workload | ok | failed | seconds | per second | p50 ms | p99 ms | ÷ pgbench tps |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (Phase phase : List.of(purchases, transfers, crossTransfers)) {
            out.append(String.format(Locale.ROOT, "| %s over HTTP%s | %d | %d %s | %.1f | %.1f | %.1f | %.1f | %.3f |%n",
                    phase.name(), phase.ranOut() ? " (ran out of packs)" : "", phase.micros().length,
                    phase.failures(), phase.failures() == 0 ? "" : phase.failureStatuses(), phase.seconds(),
                    phase.throughput(), phase.percentileMs(50), phase.percentileMs(99),
                    phase.throughput() / tpcb.tps()));
        }
        out.append(String.format(Locale.ROOT,
                "| pgbench TPC-B (-s %d -c %d -j 2 -M prepared) | %d | 0 | %d | %.1f | %.1f | %.1f | 1.000 |%n",
                PGBENCH_SCALE, CLIENTS, tpcb.transactions(), DURATION.toSeconds(), tpcb.tps(), tpcb.p50Ms(),
                tpcb.p99Ms()));
        out.append(String.format(Locale.ROOT, "%npgbench latency average %.2f ms.%n", tpcb.averageMs()));
        out.append(String.format(Locale.ROOT,
                "Economy database transactions per write, over every shard (pg_stat_database, idle rate %.1f/s "
                        + "subtracted): purchase %.2f, transfer within a shard %.2f, transfer across shards %.2f%n",
                idleRate, purchaseTransactions, transferTransactions, crossTransactions));
        out.append(String.format(Locale.ROOT,
                "The price of two-phase commit: a cross-shard transfer runs at %.2fx the same-shard rate, p50 %.2fx, "
                        + "p99 %.2fx%n", crossTransfers.throughput() / transfers.throughput(),
                crossTransfers.percentileMs(50) / transfers.percentileMs(50),
                crossTransfers.percentileMs(99) / transfers.percentileMs(99)));
        out.append(cpuTables);
        System.out.println("[bench] results\n" + out);
        Files.writeString(Path.of("target/economy-throughput-results.md"), out.toString());
    }

    private static double percentile(long[] sorted, int percentile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }

}
