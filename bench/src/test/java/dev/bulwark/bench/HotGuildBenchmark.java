package dev.bulwark.bench;

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
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import dev.bulwark.sharding.HashRing;
import dev.bulwark.sharding.RingKey;

/**
 * The seed's hot guild shard, on the platform ring: 10,000 guilds whose popularity follows Zipf
 * (exponent 1.1), on 4 shards of 150 vnodes. A guild's load (members, and messages if every
 * member posts alike) is proportional to its popularity. Each trial draws a new ring (random
 * shard names), new guild ids and new leaders, and places the same guilds four ways: with their
 * leader under two readings of the seed's clustered leaders, by guild key, and by guild key with
 * the heaviest guilds pinned (a what-if).
 * Then the estimate of what one shard holds for one very large guild. Results go to stdout and
 * target/hot-guild-results.md.
 */
class HotGuildBenchmark {

    private static final int GUILDS = 10_000;
    private static final double EXPONENT = 1.1;
    private static final int SHARDS = 4;
    private static final int TRIALS = Integer.getInteger("bench.trials", 200);
    /** A fixed player population of one player per guild; the leaders are a tenth of it. */
    private static final int LEADERS = GUILDS / 10;
    private static final int PINNED = 10;
    private static final double GOAL = 1.25;
    /** The seed: 85 % on the hot shard, 20 % on each of the three others. */
    private static final double SEED_SKEW = 85 / ((85 + 3 * 20) / 4.0);

    private final Random random = new Random(21);

    @Test
    void guildKeysAgainstLeaderPlacement() throws IOException {
        double[] load = new double[GUILDS];
        double total = 0;
        for (int rank = 1; rank <= GUILDS; rank++) {
            load[rank - 1] = Math.pow(rank, -EXPONENT);
            total += load[rank - 1];
        }
        for (int g = 0; g < GUILDS; g++) {
            load[g] /= total;
        }

        double[][] spreads = new double[4][TRIALS];
        double[][] counts = new double[4][TRIALS];
        for (int t = 0; t < TRIALS; t++) {
            HashRing ring = randomRing();
            UUID[] guilds = ids(GUILDS);
            UUID[] clustered = leadersInTheFirstTenthOfTheRing();
            UUID[] families = ids(LEADERS);
            Placement[] placements = {
                    g -> ring.shardFor(RingKey.player(families[g / (GUILDS / LEADERS)])),
                    g -> ring.shardFor(RingKey.player(clustered[g])),
                    g -> ring.shardFor(RingKey.guild(guilds[g])),
                    pinned(ring, guilds, load),
            };
            for (int p = 0; p < placements.length; p++) {
                Map<String, Double> weighted = new HashMap<>();
                Map<String, Double> number = new HashMap<>();
                for (int g = 0; g < GUILDS; g++) {
                    String shard = placements[p].shardOf(g);
                    weighted.merge(shard, load[g], Double::sum);
                    number.merge(shard, 1.0 / GUILDS, Double::sum);
                }
                spreads[p][t] = max(weighted) * SHARDS;
                counts[p][t] = max(number) * SHARDS;
            }
        }

        String[] names = {
                "with its leader (the seed); leaders = a tenth of a population of 10,000 players, each leading 10 guilds of adjacent popularity",
                "with its leader; one leader per guild, leaders' player points in one contiguous tenth of the ring",
                "by guild key (`RingKey.guild`, the guild seed)",
                "by guild key, the " + PINNED + " heaviest guilds pinned to the least loaded shard (what-if, not built)",
        };
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%,d guilds, Zipf exponent %.1f (the heaviest guild carries %.1f %% of all load, the top ten %.1f %%), "
                        + "%d shards × 150 vnodes, %d trials (new ring, guild ids and leaders each); the seed's skew "
                        + "(85 %% vs 20 %%) is max/mean %.2f%n%n"
                        + "| guild placed | load max/mean: mean | median | p90 | trials ≤ %.2f | ÷ the seed's placement | guild count max/mean |%n"
                        + "|---|---|---|---|---|---|---|%n",
                GUILDS, EXPONENT, 100 * load[0], 100 * Arrays.stream(load, 0, 10).sum(), SHARDS, TRIALS, SEED_SKEW, GOAL));
        double baseline = mean(spreads[0]);
        for (int p = 0; p < names.length; p++) {
            double[] sorted = spreads[p].clone();
            Arrays.sort(sorted);
            long within = Arrays.stream(sorted).filter(s -> s <= GOAL).count();
            out.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %d / %d | %.2f | %.3f |%n", names[p],
                    mean(sorted), percentile(sorted, 0.5), percentile(sorted, 0.9), within, TRIALS,
                    mean(sorted) / baseline, mean(counts[p])));
        }
        double sumOfSquares = Arrays.stream(load).map(w -> w * w).sum();
        out.append(String.format(Locale.ROOT, "%nAny placement that does not look at load places each guild like a die "
                        + "throw: a shard's load has standard deviation √(Σw² · (1/n)(1 − 1/n)) = %.3f of the total, "
                        + "%.2f of a shard's mean.%n", Math.sqrt(sumOfSquares * (1.0 / SHARDS) * (1 - 1.0 / SHARDS)),
                SHARDS * Math.sqrt(sumOfSquares * (1.0 / SHARDS) * (1 - 1.0 / SHARDS))));
        out.append(LargeGuildEstimate.table());
        System.out.println(out);
        Path file = Path.of("target/hot-guild-results.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out);
    }

    private interface Placement {
        String shardOf(int guild);
    }

    /** Greedy: the heaviest guilds, heaviest first, each onto the shard with the least load so far. */
    private static Placement pinned(HashRing ring, UUID[] guilds, double[] load) {
        Map<String, Double> shardLoad = new HashMap<>();
        ring.weights().keySet().forEach(s -> shardLoad.put(s, 0.0));
        for (int g = PINNED; g < GUILDS; g++) {
            shardLoad.merge(ring.shardFor(RingKey.guild(guilds[g])), load[g], Double::sum);
        }
        String[] pins = new String[PINNED];
        for (int g = 0; g < PINNED; g++) {
            String lightest = shardLoad.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
            pins[g] = lightest;
            shardLoad.merge(lightest, load[g], Double::sum);
        }
        return g -> g < PINNED ? pins[g] : ring.shardFor(RingKey.guild(guilds[g]));
    }

    private UUID[] leadersInTheFirstTenthOfTheRing() {
        long tenth = Long.divideUnsigned(-1L, 10);
        return fill(GUILDS, i -> {
            UUID id;
            do {
                id = new UUID(random.nextLong(), random.nextLong());
            } while (Long.compareUnsigned(RingKey.player(id).point() - Long.MIN_VALUE, tenth) > 0);
            return id;
        });
    }

    private UUID[] ids(int n) {
        return fill(n, i -> new UUID(random.nextLong(), random.nextLong()));
    }

    private static UUID[] fill(int n, IntFunction<UUID> id) {
        UUID[] ids = new UUID[n];
        for (int i = 0; i < n; i++) {
            ids[i] = id.apply(i);
        }
        return ids;
    }

    private HashRing randomRing() {
        Map<String, Double> weights = new HashMap<>();
        while (weights.size() < SHARDS) {
            weights.put("shard-" + HexFormat.of().toHexDigits(random.nextLong()), 1.0);
        }
        return HashRing.of(1, HashRing.DEFAULT_VNODES_PER_SHARD, weights);
    }

    private static double max(Map<String, Double> shares) {
        return shares.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }
}
