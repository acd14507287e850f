package dev.bulwark.crdt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A single-value field edited in several regions (a guild's description, emblem, open flag),
 * versioned by vector clocks. Internally a multi-value register: {@code siblings} are the writes
 * no later write has seen — one after causal edits, several after concurrent ones. The read is
 * still one value: the sibling with the highest (wall-clock time, region) wins, and the others are
 * reported as {@link #conflicts()}. The next write, which has seen them all, supersedes them; the
 * siblings that had lost the tie-break move to {@code history}, the newest {@link #HISTORY_LIMIT}
 * of which are kept. A value overwritten by someone who saw it as the current value is an edit,
 * not a loss, and is not kept.
 *
 * <p>Wall-clock time only orders concurrent writes: a write that has seen another replaces it
 * whatever the clocks of the two regions say.
 */
public record Register<V>(List<Version<V>> siblings, List<Version<V>> history) {

    /** How many lost values a register keeps (the newest, by the tie-break order). */
    public static final int HISTORY_LIMIT = 16;

    /** One write: its value, its vector clock, the writer's wall clock (epoch ms) and region. */
    public record Version<V>(V value, VersionVector clock, long writtenAt, String replica) {

        public Version {
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(replica, "replica");
        }
    }

    // Concurrent writes come from different regions (one region's writes are causally ordered),
    // so (writtenAt, replica) orders them totally; the clock makes the order total on any versions.
    private static final Comparator<Version<?>> TIE_BREAK = Comparator.<Version<?>>comparingLong(Version::writtenAt)
            .thenComparing(Version::replica)
            .thenComparing(Version::clock, VersionVector.CANONICAL);

    public Register {
        siblings = sorted(siblings);
        history = sorted(history.stream().distinct().toList());
        for (int i = 0; i < siblings.size(); i++) {
            for (int j = i + 1; j < siblings.size(); j++) {
                if (!siblings.get(i).clock().concurrentWith(siblings.get(j).clock())) {
                    throw new IllegalArgumentException("siblings must be concurrent: " + siblings);
                }
            }
        }
        if (history.size() > HISTORY_LIMIT) {
            history = history.subList(history.size() - HISTORY_LIMIT, history.size());
        }
    }

    public static <V> Register<V> empty() {
        return new Register<>(List.of(), List.of());
    }

    /** The value shown: the winning sibling (empty if never written). */
    public Optional<Version<V>> winner() {
        return siblings.isEmpty() ? Optional.empty() : Optional.of(siblings.getLast());
    }

    public Optional<V> value() {
        return winner().map(Version::value);
    }

    /** Concurrent writes that lost the tie-break and no write has superseded yet (oldest first). */
    public List<Version<V>> conflicts() {
        return siblings.isEmpty() ? List.of() : siblings.subList(0, siblings.size() - 1);
    }

    /** Writes at {@code replica} after everything seen here; the losing siblings go to the history. */
    public Register<V> write(V value, String replica, long writtenAt) {
        VersionVector clock = version().increment(replica);
        List<Version<V>> lost = new ArrayList<>(history);
        lost.addAll(conflicts());
        return new Register<>(List.of(new Version<>(value, clock, writtenAt, replica)), lost);
    }

    /** The join: the writes neither side has seen superseded, and both histories. */
    public Register<V> merge(Register<V> other) {
        List<Version<V>> all = new ArrayList<>(siblings);
        all.addAll(other.siblings);
        List<Version<V>> maximal = new ArrayList<>();
        for (Version<V> candidate : all) {
            boolean superseded = all.stream().anyMatch(v -> v.clock().compare(candidate.clock()) == VersionVector.Order.AFTER);
            boolean duplicate = maximal.stream().anyMatch(v -> v.clock().equals(candidate.clock()));
            if (!superseded && !duplicate) {
                maximal.add(candidate);
            }
        }
        List<Version<V>> lost = new ArrayList<>(history);
        other.history.stream().filter(v -> !history.contains(v)).forEach(lost::add);
        return new Register<>(maximal, lost);
    }

    /** What a region knows of this field: the join of the siblings' clocks. */
    public VersionVector version() {
        return siblings.stream().map(Version::clock).reduce(VersionVector.EMPTY, VersionVector::merge);
    }

    /** SHA-256 (hex) of the canonical encoding; {@code encoder} must be injective on values. */
    public String digest(Function<? super V, String> encoder) {
        Canonical c = Canonical.of("register");
        for (List<Version<V>> versions : List.of(siblings, history)) {
            c.number(versions.size());
            versions.forEach(v -> c.text(encoder.apply(v.value())).vector(v.clock()).number(v.writtenAt()).text(v.replica()));
        }
        return c.hex();
    }

    private static <V> List<Version<V>> sorted(List<Version<V>> versions) {
        List<Version<V>> copy = new ArrayList<>(versions);
        copy.sort(TIE_BREAK);
        return List.copyOf(copy);
    }
}
