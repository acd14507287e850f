package dev.bulwark.crdt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An observed-remove set without tombstones (ORSWOT), as riak_dt's {@code riak_dt_orswot} and
 * Pekko Distributed Data's {@code ORSet}: one version vector for the whole set ({@code clock}),
 * and for each present element its birth dots — the (replica, counter) events that added it and
 * that no one has removed since. A remove simply drops the element. Merging tells "the other side
 * never saw this add" from "the other side removed it" by the other side's clock: a dot the other
 * side lacks but its clock covers was removed there; one its clock does not cover is news.
 * Concurrent add and remove: the add wins (the remove could only drop the dots it had seen).
 *
 * <p>Unlike riak_dt and Pekko, a remove also counts as an event of the removing replica (its clock
 * entry grows), so the clock summarises every operation: two states of one set with equal clocks
 * are equal, and a replica whose clock dominates another's has nothing to learn from it — which
 * is what {@link AntiEntropy} compares.
 *
 * <p>Immutable; entries are kept sorted by element, so equal sets are equal records and encode to
 * equal JSON.
 */
public record Orswot<E extends Comparable<? super E>>(VersionVector clock, List<Entry<E>> entries) {

    /** A present element and its birth dots (at most one per replica: a re-add replaces the dot). */
    public record Entry<E>(E element, VersionVector dots) {

        public Entry {
            Objects.requireNonNull(element, "element");
            if (dots.counters().isEmpty()) {
                throw new IllegalArgumentException("an element without dots is not in the set: " + element);
            }
        }
    }

    public Orswot {
        Objects.requireNonNull(clock, "clock");
        List<Entry<E>> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::element));
        for (int i = 0; i < sorted.size(); i++) {
            Entry<E> entry = sorted.get(i);
            if (i > 0 && sorted.get(i - 1).element().compareTo(entry.element()) == 0) {
                throw new IllegalArgumentException("element listed twice: " + entry.element());
            }
            if (!clock.dominates(entry.dots())) {
                throw new IllegalArgumentException("dots " + entry.dots() + " of " + entry.element()
                        + " are not covered by the clock " + clock);
            }
        }
        entries = List.copyOf(sorted);
    }

    public static <E extends Comparable<? super E>> Orswot<E> empty() {
        return new Orswot<>(VersionVector.EMPTY, List.of());
    }

    /** The elements present, in their natural order. */
    public List<E> elements() {
        return entries.stream().map(Entry::element).toList();
    }

    public boolean contains(E element) {
        return entries.stream().anyMatch(e -> e.element().compareTo(element) == 0);
    }

    /** Adds (or re-adds) an element at {@code replica}: a new event whose dot becomes its only dot. */
    public Orswot<E> add(E element, String replica) {
        VersionVector next = clock.increment(replica);
        SortedMap<E, VersionVector> map = asMap();
        map.put(element, VersionVector.of(replica, next.get(replica)));
        return new Orswot<>(next, fromMap(map));
    }

    /** Removes an element as observed here: only the dots seen so far (unchanged if absent). */
    public Orswot<E> remove(E element, String replica) {
        return removeIf(e -> e.compareTo(element) == 0, replica);
    }

    /** Removes, as one event, every present element that matches (unchanged if none does). */
    public Orswot<E> removeIf(Predicate<? super E> matches, String replica) {
        List<Entry<E>> kept = entries.stream().filter(e -> !matches.test(e.element())).toList();
        return kept.size() == entries.size() ? this : new Orswot<>(clock.increment(replica), kept);
    }

    /**
     * The join of two states (commutative, associative, idempotent). A dot survives when both
     * sides have it, or when the side that lacks it has never seen it (riak_dt_orswot:merge/2;
     * Pekko's ORSet.mergeCommonKeys / mergeDisjointKeys with subtractDots).
     */
    public Orswot<E> merge(Orswot<E> other) {
        SortedMap<E, VersionVector> mine = asMap();
        SortedMap<E, VersionVector> theirs = other.asMap();
        SortedMap<E, VersionVector> all = new TreeMap<>(mine);
        theirs.forEach(all::putIfAbsent);
        SortedMap<E, VersionVector> merged = new TreeMap<>();
        for (E element : all.keySet()) {
            VersionVector here = mine.getOrDefault(element, VersionVector.EMPTY);
            VersionVector there = theirs.getOrDefault(element, VersionVector.EMPTY);
            VersionVector dots = surviving(here, there, other.clock).merge(surviving(there, here, clock));
            if (!dots.counters().isEmpty()) {
                merged.put(element, dots);
            }
        }
        return new Orswot<>(clock.merge(other.clock), fromMap(merged));
    }

    private static VersionVector surviving(VersionVector dots, VersionVector otherDots, VersionVector otherClock) {
        Map<String, Long> kept = new TreeMap<>();
        dots.counters().forEach((replica, counter) -> {
            if (otherDots.get(replica) == counter || !otherClock.covers(replica, counter)) {
                kept.put(replica, counter);
            }
        });
        return new VersionVector(kept);
    }

    /** SHA-256 (hex) of the canonical encoding; {@code encoder} must be injective on elements. */
    public String digest(Function<? super E, String> encoder) {
        Canonical c = Canonical.of("orswot").vector(clock).number(entries.size());
        for (Entry<E> entry : entries) {
            c.text(encoder.apply(entry.element())).vector(entry.dots());
        }
        return c.hex();
    }

    private SortedMap<E, VersionVector> asMap() {
        SortedMap<E, VersionVector> map = new TreeMap<>();
        entries.forEach(e -> map.put(e.element(), e.dots()));
        return map;
    }

    private static <E> List<Entry<E>> fromMap(SortedMap<E, VersionVector> map) {
        return map.entrySet().stream().map(e -> new Entry<>(e.getKey(), e.getValue())).toList();
    }
}
