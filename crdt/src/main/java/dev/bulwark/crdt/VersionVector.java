package dev.bulwark.crdt;

import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A version vector: for each replica (a region's id), how many of its events are known. Zero
 * entries are not stored, so equal knowledge is an equal record (and equal JSON,
 * {@code {"counters":{"eu":3,"us":1}}}). Also used as a set of dots with one dot per replica (an
 * element's birth dots in an {@link Orswot}).
 */
public record VersionVector(Map<String, Long> counters) {

    public static final VersionVector EMPTY = new VersionVector(Map.of());

    /** Total order on vectors (replica by replica, then by counter): for canonical sorting only. */
    public static final Comparator<VersionVector> CANONICAL = VersionVector::compareCanonically;

    /** How two vectors relate in the causal order. */
    public enum Order { EQUAL, BEFORE, AFTER, CONCURRENT }

    public VersionVector {
        SortedMap<String, Long> copy = new TreeMap<>();
        counters.forEach((replica, counter) -> {
            Objects.requireNonNull(replica, "replica");
            if (counter < 0) {
                throw new IllegalArgumentException("negative counter for " + replica + ": " + counter);
            }
            if (counter > 0) {
                copy.put(replica, counter);
            }
        });
        counters = Collections.unmodifiableSortedMap(copy);
    }

    public static VersionVector of(String replica, long counter) {
        return new VersionVector(Map.of(replica, counter));
    }

    public long get(String replica) {
        return counters.getOrDefault(replica, 0L);
    }

    /** This vector with one more event of {@code replica}. */
    public VersionVector increment(String replica) {
        Map<String, Long> next = new TreeMap<>(counters);
        next.merge(replica, 1L, Long::sum);
        return new VersionVector(next);
    }

    /** The least vector at or after both: what a replica knows after learning what the other knew. */
    public VersionVector merge(VersionVector other) {
        Map<String, Long> next = new TreeMap<>(counters);
        other.counters.forEach((replica, counter) -> next.merge(replica, counter, Math::max));
        return new VersionVector(next);
    }

    /** Whether the event {@code counter} of {@code replica} is known here. */
    public boolean covers(String replica, long counter) {
        return get(replica) >= counter;
    }

    /** Whether everything {@code other} knows is known here ({@code this ≥ other}). */
    public boolean dominates(VersionVector other) {
        for (Map.Entry<String, Long> e : other.counters.entrySet()) {
            if (get(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    public Order compare(VersionVector other) {
        boolean ge = dominates(other);
        boolean le = other.dominates(this);
        if (ge && le) {
            return Order.EQUAL;
        }
        return ge ? Order.AFTER : le ? Order.BEFORE : Order.CONCURRENT;
    }

    public boolean concurrentWith(VersionVector other) {
        return compare(other) == Order.CONCURRENT;
    }

    /** The number of events known: strictly grows along the causal order, so it sorts causally. */
    public long sum() {
        return counters.values().stream().mapToLong(Long::longValue).sum();
    }

    private int compareCanonically(VersionVector other) {
        Iterator<Map.Entry<String, Long>> a = counters.entrySet().iterator();
        Iterator<Map.Entry<String, Long>> b = other.counters.entrySet().iterator();
        while (a.hasNext() && b.hasNext()) {
            Map.Entry<String, Long> x = a.next();
            Map.Entry<String, Long> y = b.next();
            int c = x.getKey().compareTo(y.getKey());
            if (c != 0) {
                return c;
            }
            c = Long.compare(x.getValue(), y.getValue());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(a.hasNext(), b.hasNext());
    }
}
