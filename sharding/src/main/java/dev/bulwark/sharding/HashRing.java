package dev.bulwark.sharding;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;

/**
 * One immutable version of the consistent-hash ring: named shards, each with
 * {@code round(vnodesPerShard × weight)} virtual nodes (at least one) whose tokens are hashes of
 * the shard's name and the vnode's index. A point belongs to the first token at or after it,
 * wrapping past {@link Long#MAX_VALUE} to the smallest token.
 *
 * <p>Changing the shards yields a new ring with the next version; the tokens of every shard that
 * stays are the same in both, and vnode {@code i} of a shard is the same token whatever its
 * weight, so adding a shard moves points only onto it, removing one moves only its points, and
 * reweighting moves points only to or from the reweighted shard.
 */
public final class HashRing {

    public static final int DEFAULT_VNODES_PER_SHARD = 150;

    // Tokens: Murmur3 x64 128 (first 8 bytes, little-endian) over the UTF-8 name's length (4 bytes),
    // the name, then the vnode index (4 bytes), integers big-endian: names cannot run into indexes.
    // Part of the routing contract, like RingKey's hashes.
    private static final HashFunction TOKENS = Hashing.murmur3_128(0x766e6f64); // "vnod"

    private final long version;
    private final int vnodesPerShard;
    private final SortedMap<String, Double> weights;
    private final long[] tokens;
    private final String[] owners;
    private final List<OwnedRange> ranges;

    private HashRing(long version, int vnodesPerShard, SortedMap<String, Double> weights) {
        this.version = version;
        this.vnodesPerShard = vnodesPerShard;
        this.weights = Collections.unmodifiableSortedMap(weights);
        List<Token> all = new ArrayList<>();
        weights.forEach((shard, weight) -> {
            for (int i = 0, n = vnodes(vnodesPerShard, weight); i < n; i++) {
                all.add(new Token(token(shard, i), shard));
            }
        });
        // Equal tokens (a 2^-64 event per pair) go to the smaller name, so every JVM agrees.
        all.sort(Comparator.comparingLong(Token::point).thenComparing(Token::shard));
        long[] points = new long[all.size()];
        String[] shards = new String[all.size()];
        int n = 0;
        for (Token t : all) {
            if (n == 0 || points[n - 1] != t.point()) {
                points[n] = t.point();
                shards[n++] = t.shard();
            }
        }
        this.tokens = Arrays.copyOf(points, n);
        this.owners = Arrays.copyOf(shards, n);
        this.ranges = ownedRanges();
    }

    private record Token(long point, String shard) {
    }

    /** Version 1 of a ring over these shards, all of weight 1, with the default vnode count. */
    public static HashRing of(String... shards) {
        Map<String, Double> weights = new TreeMap<>();
        for (String shard : shards) {
            if (weights.put(shard, 1.0) != null) {
                throw new IllegalArgumentException("shard " + shard + " named twice");
            }
        }
        return of(1, DEFAULT_VNODES_PER_SHARD, weights);
    }

    /** A ring exactly as stored: its version, vnodes per unit of weight, and each shard's weight. */
    public static HashRing of(long version, int vnodesPerShard, Map<String, Double> weights) {
        if (vnodesPerShard < 1) {
            throw new IllegalArgumentException("vnodesPerShard must be at least 1: " + vnodesPerShard);
        }
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("a ring needs at least one shard");
        }
        weights.forEach(HashRing::validate);
        return new HashRing(version, vnodesPerShard, new TreeMap<>(weights));
    }

    private static void validate(String shard, Double weight) {
        if (shard == null || shard.isBlank()) {
            throw new IllegalArgumentException("a shard needs a name");
        }
        if (weight == null || !(weight > 0) || weight.isInfinite()) {
            throw new IllegalArgumentException("the weight of " + shard + " must be positive and finite: " + weight);
        }
    }

    public long version() {
        return version;
    }

    public int vnodesPerShard() {
        return vnodesPerShard;
    }

    /** Each shard's weight, by name. */
    public SortedMap<String, Double> weights() {
        return weights;
    }

    /** The virtual nodes a shard of this weight gets on this ring. */
    public int vnodes(String shard) {
        return vnodes(vnodesPerShard, weightOf(shard));
    }

    private static int vnodes(int vnodesPerShard, double weight) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(vnodesPerShard * weight)));
    }

    private double weightOf(String shard) {
        Double weight = weights.get(shard);
        if (weight == null) {
            throw new IllegalArgumentException("no shard " + shard + " on ring version " + version);
        }
        return weight;
    }

    public String shardFor(RingKey key) {
        return shardAt(key.point());
    }

    /** The owner of a stored point. */
    public String shardAt(long point) {
        int i = Arrays.binarySearch(tokens, point);
        if (i < 0) {
            i = -i - 1;
        }
        return owners[i == tokens.length ? 0 : i];
    }

    public HashRing withShard(String shard) {
        return withShard(shard, 1.0);
    }

    public HashRing withShard(String shard, double weight) {
        if (weights.containsKey(shard)) {
            throw new IllegalArgumentException("shard " + shard + " is already on ring version " + version);
        }
        return next(shard, weight);
    }

    public HashRing withWeight(String shard, double weight) {
        weightOf(shard);
        return next(shard, weight);
    }

    public HashRing withoutShard(String shard) {
        weightOf(shard);
        TreeMap<String, Double> next = new TreeMap<>(weights);
        next.remove(shard);
        return of(version + 1, vnodesPerShard, next);
    }

    private HashRing next(String shard, double weight) {
        TreeMap<String, Double> next = new TreeMap<>(weights);
        next.put(shard, weight);
        return of(version + 1, vnodesPerShard, next);
    }

    /** A run of points and the shard that owns it. */
    public record OwnedRange(TokenRange range, String shard) {
    }

    /** Points that one ring gives to {@code from} and another to {@code to}. */
    public record Move(TokenRange range, String from, String to) {
    }

    /**
     * The whole ring as ranges in point order, adjacent ranges of one shard joined: they cover
     * every point exactly once.
     */
    public List<OwnedRange> ranges() {
        return ranges;
    }

    private List<OwnedRange> ownedRanges() {
        List<OwnedRange> ranges = new ArrayList<>();
        // Points after the last token wrap to the first token's shard, as do points up to it.
        append(ranges, Long.MIN_VALUE, tokens[0], owners[0]);
        for (int i = 1; i < tokens.length; i++) {
            append(ranges, tokens[i - 1] + 1, tokens[i], owners[i]);
        }
        if (tokens[tokens.length - 1] != Long.MAX_VALUE) {
            append(ranges, tokens[tokens.length - 1] + 1, Long.MAX_VALUE, owners[0]);
        }
        return List.copyOf(ranges);
    }

    private static void append(List<OwnedRange> ranges, long first, long last, String shard) {
        int end = ranges.size() - 1;
        if (end >= 0 && ranges.get(end).shard().equals(shard)) {
            ranges.set(end, new OwnedRange(new TokenRange(ranges.get(end).range().first(), last), shard));
        } else {
            ranges.add(new OwnedRange(new TokenRange(first, last), shard));
        }
    }

    public List<TokenRange> rangesOf(String shard) {
        weightOf(shard);
        return ranges().stream().filter(r -> r.shard().equals(shard)).map(OwnedRange::range).toList();
    }

    /** The part of the ring a shard owns, in [0, 1]. */
    public double share(String shard) {
        return rangesOf(shard).stream().mapToDouble(TokenRange::fraction).sum();
    }

    /**
     * What changes owner from this ring to {@code next}, in point order (adjacent moves between the
     * same two shards joined): the ranges a resharding job copies.
     */
    public List<Move> movesTo(HashRing next) {
        Objects.requireNonNull(next, "next");
        List<OwnedRange> before = ranges();
        List<OwnedRange> after = next.ranges();
        List<Move> moves = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < before.size() && j < after.size()) {
            OwnedRange a = before.get(i);
            OwnedRange b = after.get(j);
            long first = Math.max(a.range().first(), b.range().first());
            long last = Math.min(a.range().last(), b.range().last());
            if (!a.shard().equals(b.shard())) {
                appendMove(moves, first, last, a.shard(), b.shard());
            }
            if (a.range().last() == last) {
                i++;
            }
            if (b.range().last() == last) {
                j++;
            }
        }
        return List.copyOf(moves);
    }

    private static void appendMove(List<Move> moves, long first, long last, String from, String to) {
        int end = moves.size() - 1;
        if (end >= 0) {
            Move previous = moves.get(end);
            if (previous.range().last() + 1 == first && previous.from().equals(from) && previous.to().equals(to)) {
                moves.set(end, new Move(new TokenRange(previous.range().first(), last), from, to));
                return;
            }
        }
        moves.add(new Move(new TokenRange(first, last), from, to));
    }

    static long token(String shard, int vnode) {
        byte[] name = shard.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = ByteBuffer.allocate(name.length + 8).putInt(name.length).put(name).putInt(vnode).array();
        return TOKENS.hashBytes(bytes).asLong();
    }

    @Override
    public String toString() {
        return "HashRing[version=" + version + ", vnodesPerShard=" + vnodesPerShard + ", weights=" + weights + "]";
    }
}
