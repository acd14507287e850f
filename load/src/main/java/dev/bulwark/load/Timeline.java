package dev.bulwark.load;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What the core path answered during one drill, second by second (throughput, errors, p99), and
 * the windows in which a fault was applied. Recorded by the {@link Probe}; read by the invariants
 * and plotted by the {@link Report}.
 */
final class Timeline {

    /** A fault applied between two instants (end null while it lasts). */
    record Window(String fault, Instant start, Instant end) {
    }

    /** One second: requests answered, core-path errors, degraded answers, and the latencies. */
    record Second(long second, int requests, int errors, int degraded, long p99Millis) {
    }

    private final Instant start = Instant.now();
    private final ConcurrentMap<Long, List<long[]>> samples = new ConcurrentHashMap<>();
    private final List<Window> windows = new ArrayList<>();

    Instant start() {
        return start;
    }

    /** One answer: {@code outcome} 0 ok, 1 degraded (errors[] names a missing part), 2 a core-path error. */
    void record(Instant sent, Duration took, int outcome) {
        long second = Duration.between(start, sent).toSeconds();
        samples.computeIfAbsent(second, s -> new ArrayList<>());
        List<long[]> bucket = samples.get(second);
        synchronized (bucket) {
            bucket.add(new long[] {took.toMillis(), outcome});
        }
    }

    synchronized Window begin(String fault) {
        Window window = new Window(fault, Instant.now(), null);
        windows.add(window);
        return window;
    }

    synchronized void end(Window window) {
        windows.set(windows.indexOf(window), new Window(window.fault(), window.start(), Instant.now()));
    }

    synchronized List<Window> windows() {
        return List.copyOf(windows);
    }

    long secondOf(Instant instant) {
        return Duration.between(start, instant).toSeconds();
    }

    List<Second> seconds() {
        long last = samples.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
        List<Second> seconds = new ArrayList<>();
        for (long s = 0; s <= last; s++) {
            List<long[]> bucket = samples.getOrDefault(s, List.of());
            synchronized (bucket) {
                long[] latencies = bucket.stream().mapToLong(sample -> sample[0]).sorted().toArray();
                int errors = (int) bucket.stream().filter(sample -> sample[1] == 2).count();
                int degraded = (int) bucket.stream().filter(sample -> sample[1] == 1).count();
                seconds.add(new Second(s, bucket.size(), errors, degraded, percentile(latencies, 0.99)));
            }
        }
        return seconds;
    }

    /** Over the answers sent in [from, to): the share of core-path errors, and p99. */
    Stats between(Instant from, Instant to) {
        long first = secondOf(from);
        long last = secondOf(to);
        List<long[]> all = new ArrayList<>();
        for (long s = first; s < last; s++) {
            List<long[]> bucket = samples.getOrDefault(s, List.of());
            synchronized (bucket) {
                all.addAll(bucket);
            }
        }
        long[] latencies = all.stream().mapToLong(sample -> sample[0]).sorted().toArray();
        long errors = all.stream().filter(sample -> sample[1] == 2).count();
        return new Stats(all.size(), errors, percentile(latencies, 0.99), percentile(latencies, 0.5));
    }

    record Stats(long requests, long errors, long p99Millis, long p50Millis) {
        double errorRate() {
            return requests == 0 ? 0 : (double) errors / requests;
        }
    }

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        long[] copy = Arrays.copyOf(sorted, sorted.length);
        return copy[(int) Math.min(copy.length - 1, Math.ceil(p * copy.length) - 1)];
    }
}
