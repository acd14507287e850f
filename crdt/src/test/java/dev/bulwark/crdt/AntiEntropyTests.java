package dev.bulwark.crdt;

import static dev.bulwark.crdt.RelationPropertyTests.ANN;
import static dev.bulwark.crdt.RelationPropertyTests.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * Two regions repair each other by comparing root digests, then versions, and sending only the
 * keys the other lacks or is behind on: one round each way leaves equal states and equal roots.
 */
class AntiEntropyTests {

    private static final UUID CY = UUID.fromString("00000000-0000-0000-0000-00000000000c");

    @Test
    void oneExchangeOfWhatEachLacksRepairsBothRegions() {
        Relation annBob = Relation.between(ANN, BOB).request(ANN, "eu");
        Relation annCy = Relation.between(ANN, CY).request(CY, "us");
        Relation bobCy = Relation.between(BOB, CY).block(BOB, "eu");

        // eu was restored from a backup that predates bob–cy's block and never saw us's ann–cy.
        Map<String, Relation> eu = new TreeMap<>(Map.of("ann-bob", annBob.accept(BOB, "eu"), "bob-cy", Relation.between(BOB, CY)));
        // us missed eu's accept and holds the block.
        Map<String, Relation> us = new TreeMap<>(Map.of("ann-bob", annBob, "ann-cy", annCy, "bob-cy", bobCy));
        assertThat(root(eu)).isNotEqualTo(root(us));

        var fromEu = AntiEntropy.toSend(versions(eu), versions(us));
        var fromUs = AntiEntropy.toSend(versions(us), versions(eu));
        assertThat(fromEu).containsExactly("ann-bob");
        assertThat(fromUs).containsExactly("ann-cy", "bob-cy");

        fromEu.forEach(key -> us.merge(key, eu.get(key), Relation::merge));
        fromUs.forEach(key -> eu.merge(key, us.get(key), Relation::merge));

        assertThat(eu).isEqualTo(us);
        assertThat(root(eu)).isEqualTo(root(us));
        assertThat(AntiEntropy.toSend(versions(eu), versions(us))).isEmpty();
    }

    @Test
    void rangeDigestsPointAtTheRangeThatDiffers() {
        SortedMap<String, String> here = new TreeMap<>(Map.of("a1", "x", "a2", "y", "b1", "z"));
        SortedMap<String, String> there = new TreeMap<>(Map.of("a1", "x", "a2", "y", "b1", "w"));

        SortedMap<String, String> mine = AntiEntropy.rangeDigests(here, 1);
        SortedMap<String, String> theirs = AntiEntropy.rangeDigests(there, 1);

        assertThat(mine.get("a")).isEqualTo(theirs.get("a"));
        assertThat(mine.get("b")).isNotEqualTo(theirs.get("b"));
    }

    private static Map<String, VersionVector> versions(Map<String, Relation> state) {
        Map<String, VersionVector> versions = new TreeMap<>();
        state.forEach((key, relation) -> versions.put(key, relation.version()));
        return versions;
    }

    private static String root(Map<String, Relation> state) {
        SortedMap<String, String> digests = new TreeMap<>();
        state.forEach((key, relation) -> digests.put(key, relation.digest()));
        return AntiEntropy.rootDigest(digests);
    }
}
