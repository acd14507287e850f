package dev.bulwark.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.bulwark.sharding.HashRing;
import dev.bulwark.sharding.RingKey;

/**
 * How evenly the ring spreads random player ids, and how many keys a new shard takes: pure
 * computation on the JIT-compiled library, no stack. Loads are counted per owned range over the
 * sorted points of the keys (the library's tests show ranges and per-key routing agree; the
 * fixed rings are also routed key by key here and must give the same counts). Results go to
 * stdout and target/ring-results.md.
 */
class RingBalanceBenchmark {

    private static final int KEYS = Integer.getInteger("bench.keys", 1_000_000);
    private static final int RINGS = Integer.getInteger("bench.rings", 40);
    private static final int[] VNODES = {150, 200, 300, 400, 500, 600, 800, 1000, 1500, 2000};
    private static final double GOAL = 1.10;

    private final Random random = new Random(19);

    @Test
    void loadSpreadAndKeysMovedByAShard() throws IOException {
        RingKey[] keys = new RingKey[KEYS];
        long[] points = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = RingKey.player(new UUID(random.nextLong(), random.nextLong()));
            points[i] = keys[i].point();
        }
        Arrays.sort(points);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%,d random player ids; %d rings with random shard names per row "
                + "(\"random rings\"), besides the fixed ring shard-0 … shard-(n−1)%n%n", KEYS, RINGS));

        out.append("### Load max/mean at 150 vnodes per shard (goal ≤ 1.10 for 2–4 shards)\n\n"
                + "| shards | fixed ring | random rings: mean | median | p95 | worst | rings ≤ 1.10 |\n|---|---|---|---|---|---|---|\n");
        for (int n = 2; n <= 16; n++) {
            HashRing fixed = fixedRing(n);
            double fixedSpread = spread(fixed, points);
            assertThat(spreadKeyByKey(fixed, keys)).as("per-key routing agrees with range counts").isEqualTo(fixedSpread);
            double[] spreads = new double[RINGS];
            for (int r = 0; r < RINGS; r++) {
                spreads[r] = spread(randomRing(n, HashRing.DEFAULT_VNODES_PER_SHARD), points);
            }
            out.append(String.format(Locale.ROOT, "| %d | %.3f | %s |%n", n, fixedSpread, summary(spreads)));
        }

        out.append("\n### 16 shards: load max/mean by vnodes per shard\n\n"
                + "| vnodes | fixed ring | random rings: mean | median | p95 | worst | rings ≤ 1.10 |\n|---|---|---|---|---|---|---|\n");
        Integer meanReaches = null;
        Integer p95Reaches = null;
        for (int vnodes : VNODES) {
            double[] spreads = new double[RINGS];
            for (int r = 0; r < RINGS; r++) {
                spreads[r] = spread(randomRing(16, vnodes), points);
            }
            double[] sorted = spreads.clone();
            Arrays.sort(sorted);
            if (meanReaches == null && Arrays.stream(spreads).average().orElseThrow() <= GOAL) {
                meanReaches = vnodes;
            }
            if (p95Reaches == null && percentile(sorted, 0.95) <= GOAL) {
                p95Reaches = vnodes;
            }
            HashRing fixed = HashRing.of(1, vnodes, fixedRing(16).weights());
            out.append(String.format(Locale.ROOT, "| %d | %.3f | %s |%n", vnodes, spread(fixed, points), summary(spreads)));
        }
        out.append(String.format(Locale.ROOT, "%nMean of the random rings ≤ %.2f from %s vnodes; 95 %% of them from %s.%n",
                GOAL, meanReaches, p95Reaches));

        out.append("\n### Keys moved when a shard is added (150 vnodes), against the ideal 1/(n+1) (goal ≤ 1.1×)\n\n"
                + "| shards before → after | ideal share | moved: mean over rings | mean ÷ ideal | worst ring ÷ ideal | moved keys not onto the new shard |\n"
                + "|---|---|---|---|---|---|\n");
        for (int n = 1; n <= 15; n++) {
            double ideal = 1.0 / (n + 1);
            double sum = 0;
            double worst = 0;
            long strays = 0;
            for (int r = 0; r < RINGS; r++) {
                HashRing before = randomRing(n, HashRing.DEFAULT_VNODES_PER_SHARD);
                String added = shardName();
                HashRing after = before.withShard(added);
                long moved = 0;
                for (HashRing.Move move : before.movesTo(after)) {
                    long count = count(points, move.range().first(), move.range().last());
                    moved += count;
                    if (!move.to().equals(added)) {
                        strays += count;
                    }
                }
                double share = (double) moved / KEYS;
                sum += share;
                worst = Math.max(worst, share);
            }
            double mean = sum / RINGS;
            out.append(String.format(Locale.ROOT, "| %d → %d | %.4f | %.4f | %.3f | %.3f | %d |%n",
                    n, n + 1, ideal, mean, mean / ideal, worst / ideal, strays));
        }

        out.append(routingCost(keys));
        System.out.println(out);
        Path file = Path.of("target/ring-results.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out);
    }

    /** Nanoseconds per key: hashing alone (the baseline) against hashing plus the ring look-up. */
    private static String routingCost(RingKey[] keys) {
        HashRing ring = fixedRing(16);
        long sink = 0;
        double hash = Double.MAX_VALUE;
        double route = Double.MAX_VALUE;
        for (int pass = 0; pass < 8; pass++) { // the first passes warm the JIT up; keep the best
            long t0 = System.nanoTime();
            for (RingKey key : keys) {
                sink += key.point();
            }
            long t1 = System.nanoTime();
            for (RingKey key : keys) {
                sink += ring.shardFor(key).length();
            }
            long t2 = System.nanoTime();
            hash = Math.min(hash, (double) (t1 - t0) / keys.length);
            route = Math.min(route, (double) (t2 - t1) / keys.length);
        }
        return String.format(Locale.ROOT, "%n### Routing cost (16 shards × 150 vnodes, best of 8 passes over the keys)%n%n"
                + "| step | ns per key | ÷ hashing alone |%n|---|---|---|%n| `RingKey.point()` (Murmur3, the baseline) | %.1f | 1.00 |%n"
                + "| `HashRing.shardFor(key)` (hash + binary search of %d tokens) | %.1f | %.2f |%n(checksum %d)%n",
                hash, ring.ranges().size(), route, route / hash, sink & 0xff);
    }

    private static HashRing fixedRing(int shards) {
        String[] names = new String[shards];
        for (int i = 0; i < shards; i++) {
            names[i] = "shard-" + i;
        }
        return HashRing.of(names);
    }

    private HashRing randomRing(int shards, int vnodes) {
        Map<String, Double> weights = new HashMap<>();
        while (weights.size() < shards) {
            weights.put(shardName(), 1.0);
        }
        return HashRing.of(1, vnodes, weights);
    }

    private String shardName() {
        return "shard-" + HexFormat.of().toHexDigits(random.nextLong());
    }

    /** The most loaded shard's keys over the mean per shard. */
    private static double spread(HashRing ring, long[] sortedPoints) {
        Map<String, Long> counts = new HashMap<>();
        for (HashRing.OwnedRange range : ring.ranges()) {
            counts.merge(range.shard(), count(sortedPoints, range.range().first(), range.range().last()), Long::sum);
        }
        return maxOverMean(counts, ring.weights().size(), sortedPoints.length);
    }

    private static double spreadKeyByKey(HashRing ring, RingKey[] keys) {
        Map<String, Long> counts = new HashMap<>();
        for (RingKey key : keys) {
            counts.merge(ring.shardFor(key), 1L, Long::sum);
        }
        return maxOverMean(counts, ring.weights().size(), keys.length);
    }

    private static double maxOverMean(Map<String, Long> counts, int shards, int keys) {
        long max = counts.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        return max / ((double) keys / shards);
    }

    /** Keys whose point lies in [first, last]. */
    private static long count(long[] sorted, long first, long last) {
        return countBelow(sorted, last, true) - countBelow(sorted, first, false);
    }

    private static int countBelow(long[] sorted, long point, boolean inclusive) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] < point || inclusive && sorted[mid] == point) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static String summary(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        long within = Arrays.stream(values).filter(v -> v <= GOAL).count();
        return String.format(Locale.ROOT, "%.3f | %.3f | %.3f | %.3f | %d / %d", Arrays.stream(values).average().orElseThrow(),
                percentile(sorted, 0.5), percentile(sorted, 0.95), sorted[sorted.length - 1], within, values.length);
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }
}
