package dev.bulwark.social.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The score buckets a rank is summed over keep the sort keys' order and know where they start. */
class LeaderboardBucketPropertyTests {

    @Provide
    Arbitrary<Long> sortKeys() {
        long max = LeaderboardRules.MAX_SCORE;
        return Arbitraries.oneOf(Arbitraries.longs().between(-max, max), Arbitraries.longs().between(-2_000, 2_000),
                Arbitraries.of(-max, max, 0L, -1L, 511L, 512L, -512L, -513L));
    }

    @Property
    void bucketsKeepTheSortKeysOrder(@ForAll("sortKeys") long a, @ForAll("sortKeys") long b) {
        if (a <= b) {
            assertThat(LeaderboardRules.bucket(a)).isLessThanOrEqualTo(LeaderboardRules.bucket(b));
        } else {
            assertThat(LeaderboardRules.bucket(a)).isGreaterThanOrEqualTo(LeaderboardRules.bucket(b));
        }
    }

    @Property
    void aBucketStartsAtItsSmallestKeyAndTheKeyBeforeItIsInTheBucketBefore(@ForAll("sortKeys") long key) {
        long bucket = LeaderboardRules.bucket(key);
        long start = LeaderboardRules.bucketStart(bucket);
        assertThat(start).isLessThanOrEqualTo(key);
        assertThat(LeaderboardRules.bucket(start)).isEqualTo(bucket);
        assertThat(LeaderboardRules.bucket(start - 1)).isEqualTo(bucket - 1);
    }

    @Property
    void aBucketSpansAtMostABoundedShareOfItsKeys(@ForAll("sortKeys") long key) {
        long bucket = LeaderboardRules.bucket(key);
        long width = LeaderboardRules.bucketStart(bucket + 1) - LeaderboardRules.bucketStart(bucket);
        assertThat(width).isLessThanOrEqualTo(Math.max(1, Math.abs(key) / 256 + 1));
    }
}
