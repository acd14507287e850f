package dev.bulwark.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class HashRingTests {

    private static final HashRing FOUR = HashRing.of("shard-0", "shard-1", "shard-2", "shard-3");

    private static final UUID ZERO = UUID.fromString("00000000-0000-0000-0000-000000000000");
    private static final UUID RFC_EXAMPLE = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    private static final UUID RANDOM_V4 = UUID.fromString("f47ac10b-58cc-4372-a567-0e02b2c3d479");
    private static final UUID DNS_NAMESPACE = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    private static final UUID ONES = UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff");

    // Golden vectors: the routing contract. A change here re-routes stored data; never "fix" the
    // numbers, fix the code. The points were also checked against an independent MurmurHash3
    // x64 128 implementation.
    @Test
    void fixedPlayerKeysHashToFixedPoints() {
        assertThat(RingKey.player(ZERO).point()).isEqualTo(5457549051747178710L);
        assertThat(RingKey.player(RFC_EXAMPLE).point()).isEqualTo(-44119901388393997L);
        assertThat(RingKey.player(RANDOM_V4).point()).isEqualTo(3078397264688283949L);
        assertThat(RingKey.player(DNS_NAMESPACE).point()).isEqualTo(-6761550319734257329L);
        assertThat(RingKey.player(ONES).point()).isEqualTo(-2824192546314762522L);
    }

    @Test
    void fixedGuildKeysHashToFixedPointsUnlikeTheSamePlayerIds() {
        assertThat(RingKey.guild(ZERO).point()).isEqualTo(7498974387245333031L);
        assertThat(RingKey.guild(RFC_EXAMPLE).point()).isEqualTo(-8075136079938195966L);
        assertThat(RingKey.guild(RANDOM_V4).point()).isEqualTo(4290655622306012366L);
        assertThat(RingKey.guild(DNS_NAMESPACE).point()).isEqualTo(2056505513199374839L);
        assertThat(RingKey.guild(ONES).point()).isEqualTo(441766961394593082L);
    }

    @Test
    void fixedKeysRouteToFixedShardsOnAFixedRing() {
        assertThat(HashRing.token("shard-0", 0)).isEqualTo(-2800764992340938414L);
        assertThat(FOUR.ranges()).hasSize(458);
        assertThat(FOUR.shardFor(RingKey.player(ZERO))).isEqualTo("shard-3");
        assertThat(FOUR.shardFor(RingKey.player(RFC_EXAMPLE))).isEqualTo("shard-3");
        assertThat(FOUR.shardFor(RingKey.player(RANDOM_V4))).isEqualTo("shard-2");
        assertThat(FOUR.shardFor(RingKey.player(DNS_NAMESPACE))).isEqualTo("shard-3");
        assertThat(FOUR.shardFor(RingKey.player(ONES))).isEqualTo("shard-2");
        assertThat(FOUR.shardFor(RingKey.guild(ZERO))).isEqualTo("shard-2");
        assertThat(FOUR.shardFor(RingKey.guild(RFC_EXAMPLE))).isEqualTo("shard-0");
        assertThat(FOUR.shardFor(RingKey.guild(ONES))).isEqualTo("shard-1");
    }

    @Test
    void fixedKeysRouteToFixedShardsOnAFixedWeightedRing() {
        HashRing weighted = HashRing.of(7, 150, Map.of("eu-0", 1.0, "eu-1", 2.5, "eu-2", 0.5));

        assertThat(weighted.vnodes("eu-1")).isEqualTo(375);
        assertThat(weighted.vnodes("eu-2")).isEqualTo(75);
        assertThat(weighted.ranges()).hasSize(323);
        assertThat(weighted.shardFor(RingKey.player(ZERO))).isEqualTo("eu-2");
        assertThat(weighted.shardFor(RingKey.player(RFC_EXAMPLE))).isEqualTo("eu-1");
        assertThat(weighted.shardFor(RingKey.guild(ZERO))).isEqualTo("eu-1");
        assertThat(weighted.shardFor(RingKey.guild(RFC_EXAMPLE))).isEqualTo("eu-0");
        assertThat(weighted.shardFor(RingKey.guild(DNS_NAMESPACE))).isEqualTo("eu-2");
    }

    @Test
    void everyChangeIsANewVersionAndLeavesTheOldRingAsItWas() {
        HashRing added = FOUR.withShard("shard-4");
        HashRing reweighted = added.withWeight("shard-4", 0.5);
        HashRing removed = reweighted.withoutShard("shard-0");

        assertThat(List.of(FOUR.version(), added.version(), reweighted.version(), removed.version()))
                .containsExactly(1L, 2L, 3L, 4L);
        assertThat(FOUR.weights()).containsOnlyKeys("shard-0", "shard-1", "shard-2", "shard-3");
        assertThat(reweighted.vnodes("shard-4")).isEqualTo(75);
        assertThat(removed.weights()).containsOnlyKeys("shard-1", "shard-2", "shard-3", "shard-4");
    }

    @Test
    void rangesCoverEveryPointOnceAndAgreeWithRouting() {
        List<HashRing.OwnedRange> ranges = FOUR.ranges();

        assertThat(ranges.getFirst().range().first()).isEqualTo(Long.MIN_VALUE);
        assertThat(ranges.getLast().range().last()).isEqualTo(Long.MAX_VALUE);
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).range().first()).isEqualTo(ranges.get(i - 1).range().last() + 1);
            assertThat(ranges.get(i).shard()).isNotEqualTo(ranges.get(i - 1).shard());
        }
        for (HashRing.OwnedRange r : ranges) {
            assertThat(FOUR.shardAt(r.range().first())).isEqualTo(r.shard());
            assertThat(FOUR.shardAt(r.range().last())).isEqualTo(r.shard());
        }
        double shares = FOUR.weights().keySet().stream().mapToDouble(FOUR::share).sum();
        assertThat(shares).isCloseTo(1.0, within(1e-9));
        assertThat(TokenRange.ALL.fraction()).isEqualTo(1.0);
    }

    @Test
    void pointsPastTheLastTokenWrapToTheFirst() {
        assertThat(FOUR.shardAt(Long.MAX_VALUE)).isEqualTo(FOUR.shardAt(Long.MIN_VALUE));
    }

    @Test
    void aWeightScalesAShardsVnodesAndItsShare() {
        HashRing ring = HashRing.of(1, 400, Map.of("small", 1.0, "big", 3.0));

        assertThat(ring.vnodes("big")).isEqualTo(1200);
        assertThat(ring.share("big")).isCloseTo(0.75, within(0.03));
        assertThat(HashRing.of(1, 150, Map.of("tiny", 0.001)).vnodes("tiny")).isEqualTo(1);
    }

    @Test
    void aGuildLandsIndependentlyOfThePlayerWithTheSameId() {
        Random random = new Random(19);
        int keys = 40_000;
        int same = 0;
        for (int i = 0; i < keys; i++) {
            UUID id = new UUID(random.nextLong(), random.nextLong());
            if (FOUR.shardFor(RingKey.player(id)).equals(FOUR.shardFor(RingKey.guild(id)))) {
                same++;
            }
        }
        // Independent placement agrees by chance only: Σ share² ≈ 0.25 here (±0.007 at 3σ).
        double chance = FOUR.weights().keySet().stream().mapToDouble(s -> FOUR.share(s) * FOUR.share(s)).sum();
        assertThat((double) same / keys).isCloseTo(chance, within(0.01));
    }

    @Test
    void refusesRingsThatCannotRoute() {
        assertThatThrownBy(() -> HashRing.of()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HashRing.of("only").withoutShard("only")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FOUR.withShard("shard-0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FOUR.withWeight("shard-9", 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FOUR.withShard("shard-4", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FOUR.withShard("shard-4", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FOUR.withShard(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HashRing.of(1, 0, Map.of("a", 1.0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenRange(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
