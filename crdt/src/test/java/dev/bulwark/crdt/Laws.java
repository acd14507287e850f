package dev.bulwark.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/** The join laws every merge in this module obeys. */
final class Laws {

    private Laws() {
    }

    static <T> void join(T a, T b, T c, BinaryOperator<T> merge) {
        assertThat(merge.apply(a, b)).as("commutative").isEqualTo(merge.apply(b, a));
        assertThat(merge.apply(merge.apply(a, b), c)).as("associative").isEqualTo(merge.apply(a, merge.apply(b, c)));
        assertThat(merge.apply(a, a)).as("idempotent").isEqualTo(a);
        assertThat(merge.apply(merge.apply(a, b), b)).as("idempotent after a merge").isEqualTo(merge.apply(a, b));
    }

    /** Two replicas fed the same states, shuffled and repeated differently, end equal with equal digests. */
    static <T> void convergeInAnyOrder(List<T> states, T empty, BinaryOperator<T> merge, Function<T, String> digest,
            long seed1, long seed2) {
        T one = fold(Deliveries.shuffledWithDuplicates(states, seed1), empty, merge);
        T two = fold(Deliveries.shuffledWithDuplicates(states, seed2), empty, merge);
        assertThat(one).isEqualTo(two);
        assertThat(digest.apply(one)).isEqualTo(digest.apply(two));
    }

    static <T> T fold(List<T> states, T empty, BinaryOperator<T> merge) {
        T acc = empty;
        for (T state : states) {
            acc = merge.apply(acc, state);
        }
        return acc;
    }
}
