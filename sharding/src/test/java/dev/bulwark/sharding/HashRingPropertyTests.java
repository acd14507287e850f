package dev.bulwark.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/**
 * The laws resharding relies on, over arbitrary shard names, weights, vnode counts and keys: a
 * change of the ring moves a key only when it must, and {@link HashRing#movesTo} names exactly
 * the points that moved.
 */
class HashRingPropertyTests {

    private static final int TRIES = 100;

    @Property(tries = TRIES)
    void addingAShardMovesKeysOnlyOntoIt(@ForAll("rings") HashRing ring, @ForAll("keys") List<RingKey> keys,
            @ForAll("names") String added, @ForAll @DoubleRange(min = 0.1, max = 2) double weight) {
        if (ring.weights().containsKey(added)) {
            return;
        }
        HashRing next = ring.withShard(added, weight);

        for (RingKey key : keys) {
            String before = ring.shardFor(key);
            String after = next.shardFor(key);
            assertThat(after).isIn(before, added);
        }
        assertThat(ring.movesTo(next)).allSatisfy(m -> assertThat(m.to()).isEqualTo(added));
        movesNameExactlyTheKeysThatMoved(ring, next, keys);
    }

    @Property(tries = TRIES)
    void removingAShardMovesOnlyItsKeys(@ForAll("rings") HashRing ring, @ForAll("keys") List<RingKey> keys) {
        if (ring.weights().size() < 2) {
            return;
        }
        String removed = ring.weights().lastKey();
        HashRing next = ring.withoutShard(removed);

        for (RingKey key : keys) {
            String before = ring.shardFor(key);
            String after = next.shardFor(key);
            if (before.equals(removed)) {
                assertThat(after).isNotEqualTo(removed);
            } else {
                assertThat(after).isEqualTo(before);
            }
        }
        assertThat(ring.movesTo(next)).allSatisfy(m -> assertThat(m.from()).isEqualTo(removed));
        movesNameExactlyTheKeysThatMoved(ring, next, keys);
    }

    @Property(tries = TRIES)
    void reweightingMovesKeysOnlyToOrFromThatShard(@ForAll("rings") HashRing ring, @ForAll("keys") List<RingKey> keys,
            @ForAll @DoubleRange(min = 0.1, max = 2) double weight) {
        String shard = ring.weights().firstKey();
        boolean grows = weight > ring.weights().get(shard);
        HashRing next = ring.withWeight(shard, weight);

        for (RingKey key : keys) {
            String before = ring.shardFor(key);
            String after = next.shardFor(key);
            if (!before.equals(after)) {
                assertThat(grows ? after : before).isEqualTo(shard);
            }
        }
        assertThat(ring.movesTo(next)).allSatisfy(m -> assertThat(grows ? m.to() : m.from()).isEqualTo(shard));
        movesNameExactlyTheKeysThatMoved(ring, next, keys);
    }

    @Property(tries = TRIES)
    void routingIsDeterministicAndTotal(@ForAll("rings") HashRing ring, @ForAll("keys") List<RingKey> keys) {
        HashRing rebuilt = HashRing.of(ring.version(), ring.vnodesPerShard(), Map.copyOf(ring.weights()));

        for (RingKey key : keys) {
            assertThat(ring.shardFor(key)).isIn(ring.weights().keySet()).isEqualTo(rebuilt.shardFor(key));
            assertThat(new RingKey(key.kind(), key.id()).point()).isEqualTo(key.point());
        }
        List<HashRing.OwnedRange> ranges = ring.ranges();
        assertThat(ranges.getFirst().range().first()).isEqualTo(Long.MIN_VALUE);
        assertThat(ranges.getLast().range().last()).isEqualTo(Long.MAX_VALUE);
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).range().first()).isEqualTo(ranges.get(i - 1).range().last() + 1);
        }
        assertThat(ranges).allSatisfy(r -> assertThat(ring.shardAt(r.range().last())).isEqualTo(r.shard()));
        assertThat(ring.movesTo(rebuilt)).isEmpty();
    }

    private static void movesNameExactlyTheKeysThatMoved(HashRing ring, HashRing next, List<RingKey> keys) {
        List<HashRing.Move> moves = ring.movesTo(next);
        for (RingKey key : keys) {
            boolean moved = !ring.shardFor(key).equals(next.shardFor(key));
            assertThat(moved(moves, key.point())).isEqualTo(moved);
        }
        // Off-by-ones hide at the edges: check both ends of every range of both rings.
        for (HashRing r : List.of(ring, next)) {
            for (HashRing.OwnedRange owned : r.ranges()) {
                for (long point : new long[] {owned.range().first(), owned.range().last()}) {
                    boolean moved = !ring.shardAt(point).equals(next.shardAt(point));
                    assertThat(moved(moves, point)).as("point %d", point).isEqualTo(moved);
                }
            }
        }
    }

    /** Whether a point lies in one of the moves, which are sorted and disjoint. */
    private static boolean moved(List<HashRing.Move> moves, long point) {
        int low = 0;
        int high = moves.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            TokenRange range = moves.get(mid).range();
            if (range.last() < point) {
                low = mid + 1;
            } else if (range.first() > point) {
                high = mid - 1;
            } else {
                return true;
            }
        }
        return false;
    }

    @Provide
    Arbitrary<HashRing> rings() {
        Arbitrary<Map<String, Double>> weights = Arbitraries.maps(names(), Arbitraries.doubles().between(0.1, 2))
                .ofMinSize(1).ofMaxSize(6);
        Arbitrary<Integer> vnodes = Arbitraries.integers().between(1, 160);
        return Combinators.combine(weights, vnodes).as((w, v) -> HashRing.of(1, v, w));
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'f').ofMinLength(1).ofMaxLength(3);
    }

    @Provide
    Arbitrary<List<RingKey>> keys() {
        Arbitrary<UUID> ids = Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
        Arbitrary<RingKey> keys = Combinators.combine(Arbitraries.of(RingKey.Kind.values()), ids).as(RingKey::new);
        return keys.list().ofMinSize(1).ofMaxSize(200);
    }
}
