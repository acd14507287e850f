package dev.bulwark.load;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.sun.management.OperatingSystemMXBean;

/**
 * {@code ./bulwark drill <name>|all [--short]}: starts a stack of its own (fault links on), makes
 * the load's players, starts the background load, runs the drills one after the other under it
 * and writes the report; exits 1 if any invariant broke. See docs/drills.md.
 */
public final class Drills {

    /** The drills that exist, in the order "all" runs them. */
    static final List<Drill> AVAILABLE = List.of(new CrossShardDrill(), new DependencyDrill(), new PlayerMoveDrill());
    /** The seed's drills that wait for work of their own: name → title, why. */
    static final Map<String, String[]> NOT_YET = new LinkedHashMap<>();

    static {
        NOT_YET.put("hot-guilds", new String[] {"2. Hot guilds", "waits for social's shards"});
        NOT_YET.put("add-shard", new String[] {"3. Adding a shard under load", "waits for online resharding"});
    }

    /** How a run is made. */
    record Options(boolean shortRun, int players, Path repoRoot, Path state, Path reportDirectory) {

        static Options of(boolean shortRun, Path repoRoot) {
            Path load = repoRoot.resolve("load/target");
            // -Ddrills.players=N: another size of background load.
            int players = Integer.getInteger("drills.players", shortRun ? 60 : 300);
            return new Options(shortRun, players, repoRoot, load.resolve("drill-stack"),
                    load.resolve("drill-report"));
        }
    }

    /** A running stack, its background load and the core-path probe: what every drill of a run shares. */
    static final class Session implements AutoCloseable {

        final Options options;
        final DrillStack stack;
        final BackgroundLoad load;
        final Probe probe;
        final Consumer<String> log;
        final String loadDescription;

        Session(Options options, Consumer<String> log) throws Exception {
            this.options = options;
            this.log = log;
            PlayerLoadSimulation.HOLDING.set(true);
            stack = DrillStack.start(options.repoRoot(), options.state(), options.shortRun(), line -> log.accept("[stack] " + line));
            BackgroundLoad started = null;
            Probe probing = null;
            try {
                Path feeder = options.state().resolve("load-players.csv");
                log.accept("loading " + options.players() + " players");
                Fixtures.loadPlayers(stack, "load", options.players(), feeder);
                List<java.util.UUID> probes = Fixtures.insertAccounts(stack.stack, "probe", 4);
                Fixtures.awaitWallets(probes, stack.admin, Duration.ofMinutes(2));
                List<String> tokens = new ArrayList<>();
                for (int i = 0; i < probes.size(); i++) {
                    tokens.add(Http.login("probe-" + i, Fixtures.PASSWORD));
                }
                int ramp = options.shortRun() ? 10 : 30;
                started = BackgroundLoad.start(feeder, options.players(), ramp, 3600, stack.gameServer1,
                        options.reportDirectory().resolve("gatling"));
                Thread.sleep(Duration.ofSeconds(ramp + 2).toMillis());
                if (started.ended()) {
                    throw new IllegalStateException("the background load stopped before the drills began (Gatling status "
                            + started.await() + "; its log says why)");
                }
                probing = new Probe(tokens, 10);
                loadDescription = options.players() + " simulated players (Gatling, open model, arrived over " + ramp
                        + " s; the fixed mix of docs/drills.md), game servers granting loot to 10% of them every 30 s;"
                        + " the core-path probe: 10 player screens a second";
            } catch (Exception | Error e) {
                if (probing != null) {
                    probing.close();
                }
                PlayerLoadSimulation.HOLDING.set(false);
                stack.close();
                throw e;
            }
            this.load = started;
            this.probe = probing;
        }

        DrillResult run(Drill drill) {
            log.accept("drill " + drill.name() + ": " + drill.title());
            try {
                DrillResult result = drill.run(new Drill.Context(stack, probe, options.shortRun(), log));
                result.invariants.forEach(invariant -> log.accept("  " + (invariant.passed() ? "pass " : "FAIL ")
                        + invariant.name() + ": " + invariant.figure() + " (" + invariant.bound() + ")"));
                return result;
            } catch (Exception e) {
                DrillResult failed = new DrillResult(drill.name(), drill.title(), new Timeline());
                failed.check("the drill ran to its end", e.toString(), "no exception", false);
                log.accept("  FAIL " + drill.name() + " threw " + e);
                return failed;
            }
        }

        /** Ends the background load; Gatling's report of it, once written; throws if Gatling failed. */
        Optional<Path> endLoad() throws Exception {
            probe.close();
            PlayerLoadSimulation.HOLDING.set(false);
            int status = load.await();
            log.accept("background load ended (Gatling status " + status + ")");
            if (status != 0) {
                throw new IllegalStateException("Gatling ended with status " + status);
            }
            return load.report();
        }

        @Override
        public void close() {
            probe.close();
            PlayerLoadSimulation.HOLDING.set(false);
            stack.close();
        }
    }

    private Drills() {
    }

    public static void main(String[] args) throws Exception {
        boolean shortRun = List.of(args).contains("--short");
        List<String> names = List.of(args).stream().filter(arg -> !arg.startsWith("--")).toList();
        if (names.isEmpty()) {
            System.err.println("usage: drill <name>|all [--short]; drills: " + AVAILABLE.stream().map(Drill::name).toList()
                    + ", not yet available: " + NOT_YET.keySet());
            System.exit(2);
        }
        Path repoRoot = Path.of(System.getProperty("bulwark.repo", ".")).toAbsolutePath().normalize();
        Options options = Options.of(shortRun, repoRoot);
        Report.Run run = run(names, options, line -> System.out.println("[drill] " + line));
        System.out.println("[drill] report: " + options.reportDirectory().resolve("drills.html") + " and drills.md");
        System.out.println(Report.markdown(run));
        System.exit(run.passed() ? 0 : 1);
    }

    /** Runs the named drills ("all": every one) and writes the report. */
    static Report.Run run(List<String> names, Options options, Consumer<String> log) throws Exception {
        boolean all = names.contains("all");
        for (String name : names) {
            if (!name.equals("all") && AVAILABLE.stream().noneMatch(d -> d.name().equals(name)) && !NOT_YET.containsKey(name)) {
                throw new IllegalArgumentException("no drill " + name + "; drills: "
                        + AVAILABLE.stream().map(Drill::name).toList() + ", not yet available: " + NOT_YET.keySet());
            }
        }
        List<DrillResult> results = new ArrayList<>();
        NOT_YET.forEach((name, about) -> {
            if (all || names.contains(name)) {
                results.add(DrillResult.notAvailable(name, about[0], about[1]));
            }
        });
        List<Drill> chosen = AVAILABLE.stream().filter(d -> all || names.contains(d.name())).toList();
        Optional<Path> gatling = Optional.empty();
        String load = "none";
        if (!chosen.isEmpty()) {
            try (Session session = new Session(options, log)) {
                for (Drill drill : chosen) {
                    results.add(session.run(drill));
                }
                gatling = session.endLoad();
                load = session.loadDescription;
            }
        }
        Report.Run run = new Report.Run(results, machine(), load, gatling, options.shortRun());
        Report.write(run, options.reportDirectory());
        return run;
    }

    /** The machine and what else was running on it: the report's numbers mean nothing without. */
    static String machine() {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        String loadAverage = "?";
        try {
            loadAverage = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            // not Linux
        }
        return os.getAvailableProcessors() + " cores, " + os.getTotalMemorySize() / (1 << 20) + " MiB, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version") + "; load average at the end: " + loadAverage;
    }
}
