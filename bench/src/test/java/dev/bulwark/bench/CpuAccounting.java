package dev.bulwark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the machine's CPU went during a phase, from {@code /proc} (Linux only; elsewhere every
 * figure is zero): the benchmark's own JVM (the HTTP client), each service, the Kafka broker, the
 * stack's PostgreSQL (postmaster and its backends, exited ones included through the postmaster's
 * reaped-children times), child processes of this JVM that exited (pgbench), and the rest of the
 * machine (other users' builds). On a machine shared with builds the throughput alone cannot say
 * whether the economy or its neighbours used the cores; these figures can.
 */
final class CpuAccounting {

    /** Clock ticks per second of {@code /proc/[pid]/stat}: 100 on every Linux this runs on. */
    private static final double TICKS = 100.0;
    static final List<String> PARTS = List.of("client (bench JVM)", "game-economy", "player-core", "social", "kafka",
            "postgres (stack)", "exited children (pgbench)", "rest of machine");

    /** CPU seconds per part and the machine's total capacity (cores × wall seconds) since boot. */
    record Snapshot(Map<String, Double> seconds, double busy, double capacity) {

        Snapshot minus(Snapshot earlier) {
            Map<String, Double> delta = new LinkedHashMap<>();
            seconds.forEach((part, s) -> delta.put(part, s - earlier.seconds().getOrDefault(part, 0.0)));
            return new Snapshot(delta, busy - earlier.busy(), capacity - earlier.capacity());
        }
    }

    private final String postgresDataDirectory;

    CpuAccounting(Path stackStateDirectory) {
        this.postgresDataDirectory = stackStateDirectory.resolve("postgres").toString();
    }

    Snapshot snapshot() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        PARTS.forEach(part -> seconds.put(part, 0.0));
        long self = ProcessHandle.current().pid();
        Map<Long, long[]> stats = new HashMap<>(); // pid -> {ppid, utime+stime, cutime+cstime}
        Map<Long, String> commands = new HashMap<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .toList()) {
                try {
                    String stat = Files.readString(process.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(process.getFileName().toString());
                    stats.put(pid, new long[] {Long.parseLong(fields[1]),
                            Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                            Long.parseLong(fields[13]) + Long.parseLong(fields[14])});
                    commands.put(pid, new String(Files.readAllBytes(process.resolve("cmdline"))).replace('\0', ' '));
                }
                catch (IOException | RuntimeException gone) {
                    // the process ended while being read
                }
            }
            double[] machine = machine();
            double accounted = 0;
            for (Map.Entry<Long, long[]> entry : stats.entrySet()) {
                long pid = entry.getKey();
                String part = partOf(pid, self, stats, commands);
                if (part == null) {
                    continue;
                }
                double cpu = entry.getValue()[1] / TICKS;
                if (part.equals("postgres (stack)") && isPostmaster(commands.get(pid))) {
                    cpu += entry.getValue()[2] / TICKS; // backends that have exited
                }
                if (pid == self) {
                    seconds.merge("exited children (pgbench)", entry.getValue()[2] / TICKS, Double::sum);
                    accounted += entry.getValue()[2] / TICKS;
                }
                seconds.merge(part, cpu, Double::sum);
                accounted += cpu;
            }
            seconds.put("rest of machine", machine[0] - accounted);
            return new Snapshot(seconds, machine[0], machine[1]);
        }
        catch (IOException noProc) {
            return new Snapshot(seconds, 0, 0);
        }
    }

    private boolean isPostmaster(String command) {
        return command != null && command.contains(postgresDataDirectory);
    }

    /** The part a process belongs to, or null if it is none of the stack's (the rest of the machine). */
    private String partOf(long pid, long self, Map<Long, long[]> stats, Map<Long, String> commands) {
        if (pid == self) {
            return "client (bench JVM)";
        }
        boolean underSelf = false;
        for (long p = pid, hops = 0; p > 1 && hops < 64 && stats.containsKey(p); p = stats.get(p)[0], hops++) {
            if (isPostmaster(commands.get(p))) {
                return "postgres (stack)";
            }
            if (p == self) {
                underSelf = true;
            }
        }
        if (!underSelf) {
            return null;
        }
        String command = commands.getOrDefault(pid, "");
        for (String service : List.of("game-economy", "player-core", "social")) {
            if (command.contains(service + "-service")) {
                return service;
            }
        }
        return command.contains("kafka") ? "kafka" : null;
    }

    /** {busy seconds, capacity seconds} of all cores since boot, from /proc/stat. */
    private static double[] machine() throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < cpu.length && i <= 8; i++) {
            total += Long.parseLong(cpu[i]);
        }
        long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]); // idle + iowait
        return new double[] {(total - idle) / TICKS, total / TICKS};
    }

    /** One line per part: CPU seconds, share of the machine's capacity, and milliseconds per operation. */
    static String table(String title, Snapshot phase, long operations) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n%s: machine %.0f%% busy (%.1f of %.1f CPU s)%n%n", title,
                100 * phase.busy() / Math.max(phase.capacity(), 1e-9), phase.busy(), phase.capacity()));
        out.append("| part | CPU s | share of machine | CPU ms per operation |\n|---|---|---|---|\n");
        phase.seconds().forEach((part, s) -> out.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f%% | %.2f |%n",
                part, s, 100 * s / Math.max(phase.capacity(), 1e-9), operations == 0 ? Double.NaN : 1000 * s / operations)));
        return out.toString();
    }
}
