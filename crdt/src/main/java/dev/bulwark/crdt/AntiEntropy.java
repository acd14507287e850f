package dev.bulwark.crdt;

import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Repairing two regions that missed each other's messages (a region restored from a backup, a
 * topic past retention). The replicated state is many small convergent values, each under a key
 * (a relation under its pair, a register under its guild and field). The regions compare one
 * {@link #rootDigest root digest}; if it differs they exchange the version of every key (or first
 * the digests of key ranges, to narrow it) and each sends the other the full state of the keys
 * {@link #toSend} names. Since merge is a join, repair is just a merge, however often it is done.
 * For chat, {@link CausalChat#missingFrom} does the same with the delivered vector.
 */
public final class AntiEntropy {

    private AntiEntropy() {
    }

    /** One SHA-256 over every (key, digest) pair in key order: equal maps, equal root. */
    public static String rootDigest(SortedMap<String, String> digestsByKey) {
        Canonical c = Canonical.of("root").number(digestsByKey.size());
        digestsByKey.forEach((key, digest) -> c.text(key).text(digest));
        return c.hex();
    }

    /**
     * The keys whose state a region holding {@code mine} must send to a region holding
     * {@code theirs}: those it lacks, and those where it knows something the other does not (its
     * version does not dominate ours). Keys where the other is ahead or equal need nothing from us.
     */
    public static <K extends Comparable<? super K>> SortedSet<K> toSend(Map<K, VersionVector> mine,
            Map<K, VersionVector> theirs) {
        SortedSet<K> send = new TreeSet<>();
        mine.forEach((key, version) -> {
            VersionVector known = theirs.get(key);
            if (known == null || !known.dominates(version)) {
                send.add(key);
            }
        });
        return send;
    }

    /** Digests of the keys grouped by range (first {@code prefixLength} characters of the key). */
    public static SortedMap<String, String> rangeDigests(SortedMap<String, String> digestsByKey, int prefixLength) {
        SortedMap<String, SortedMap<String, String>> ranges = new TreeMap<>();
        digestsByKey.forEach((key, digest) -> ranges
                .computeIfAbsent(key.substring(0, Math.min(prefixLength, key.length())), r -> new TreeMap<>())
                .put(key, digest));
        SortedMap<String, String> out = new TreeMap<>();
        ranges.forEach((range, members) -> out.put(range, rootDigest(members)));
        return out;
    }
}
