package dev.bulwark.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The ORSWOT over arbitrary histories of three regions adding, removing and merging: merge is a
 * join, replicas converge whatever the delivery, and the state is exactly the observed-remove
 * specification (an element is present iff some add of it was seen by no remove of it).
 */
class OrswotPropertyTests {

    static final List<String> REGIONS = List.of("ap", "eu", "us");
    private static final List<String> ELEMENTS = List.of("a", "b", "c", "d");
    private static final int TRIES = 100;

    enum Kind { ADD, REMOVE, MERGE }

    record Action(Kind kind, int region, int element, int from) {
    }

    /** What a history produced: each region's state, every state it passed through, every op. */
    record Run(List<Orswot<String>> replicas, List<Orswot<String>> states, List<Op> ops, List<Set<Integer>> seen) {
    }

    record Op(boolean add, String element, Set<Integer> seen) {
    }

    static Run run(List<Action> actions) {
        List<Orswot<String>> replicas = new ArrayList<>(List.of(Orswot.empty(), Orswot.empty(), Orswot.empty()));
        List<Set<Integer>> seen = new ArrayList<>(List.of(new HashSet<>(), new HashSet<>(), new HashSet<>()));
        List<Orswot<String>> states = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        for (Action a : actions) {
            Orswot<String> before = replicas.get(a.region());
            String element = ELEMENTS.get(a.element());
            Orswot<String> after = switch (a.kind()) {
                case ADD -> before.add(element, REGIONS.get(a.region()));
                case REMOVE -> before.remove(element, REGIONS.get(a.region()));
                case MERGE -> before.merge(replicas.get(a.from()));
            };
            if (a.kind() == Kind.MERGE) {
                seen.get(a.region()).addAll(seen.get(a.from()));
            } else if (!after.equals(before)) {
                seen.get(a.region()).add(ops.size());
                ops.add(new Op(a.kind() == Kind.ADD, element, Set.copyOf(seen.get(a.region()))));
            }
            replicas.set(a.region(), after);
            states.add(after);
        }
        return new Run(replicas, states, ops, seen);
    }

    /** The observed-remove specification over the ops a replica has seen. */
    static Set<String> specified(List<Op> ops, Set<Integer> seen) {
        Set<String> present = new TreeSet<>();
        for (int i : seen) {
            Op add = ops.get(i);
            boolean removed = seen.stream().map(ops::get)
                    .anyMatch(r -> !r.add() && r.element().equals(add.element()) && r.seen().contains(i));
            if (add.add() && !removed) {
                present.add(add.element());
            }
        }
        return present;
    }

    @Property(tries = TRIES)
    void everyReplicaHoldsExactlyTheAddsNoRemoveHasSeen(@ForAll("histories") List<Action> actions) {
        Run run = run(actions);
        for (int r = 0; r < 3; r++) {
            assertThat(new TreeSet<>(run.replicas().get(r).elements())).isEqualTo(specified(run.ops(), run.seen().get(r)));
        }
    }

    @Property(tries = TRIES)
    void mergeIsCommutativeAssociativeAndIdempotent(@ForAll("histories") List<Action> actions) {
        List<Orswot<String>> s = run(actions).replicas();
        Laws.join(s.get(0), s.get(1), s.get(2), Orswot::merge);
    }

    @Property(tries = TRIES)
    void replicasReceivingTheSameStatesInAnyOrderConverge(@ForAll("histories") List<Action> actions,
            @ForAll long seed1, @ForAll long seed2) {
        List<Orswot<String>> states = run(actions).states();
        Laws.<Orswot<String>>convergeInAnyOrder(states, Orswot.empty(), Orswot::merge, s -> s.digest(Function.identity()), seed1, seed2);
    }

    @Property(tries = TRIES)
    void aReplicaWhoseClockDominatesHasNothingToLearn(@ForAll("histories") List<Action> actions) {
        List<Orswot<String>> states = run(actions).states();
        for (Orswot<String> a : states) {
            for (Orswot<String> b : states) {
                if (b.clock().dominates(a.clock())) {
                    assertThat(b.merge(a)).isEqualTo(b);
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Action>> histories() {
        Arbitrary<Kind> kinds = Arbitraries.of(Kind.ADD, Kind.ADD, Kind.REMOVE, Kind.MERGE, Kind.MERGE);
        Arbitrary<Integer> region = Arbitraries.integers().between(0, 2);
        return Combinators.combine(kinds, region, Arbitraries.integers().between(0, ELEMENTS.size() - 1), region)
                .as(Action::new).list().ofMaxSize(30);
    }
}
