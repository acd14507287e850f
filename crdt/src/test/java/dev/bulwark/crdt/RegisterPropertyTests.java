package dev.bulwark.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Vector-clock registers over arbitrary histories of three regions writing (with clashing wall
 * clocks) and merging: merge is a join, replicas converge, concurrent writes are all kept as
 * siblings with one deterministic winner, and no value disappears unless someone overwrote it
 * while it was the value shown.
 */
class RegisterPropertyTests {

    private static final int TRIES = 100;

    record Action(boolean write, int region, int value, int time, int from) {
    }

    /** A write, what its region had seen (itself included), and the value it overwrote. */
    record Write(Register.Version<String> version, Set<Integer> seen, Optional<Register.Version<String>> overwrote,
            List<Register.Version<String>> beat) {
    }

    record Run(List<Register<String>> replicas, List<Register<String>> states, List<Write> writes, List<Set<Integer>> seen) {
    }

    static Run run(List<Action> actions) {
        List<Register<String>> replicas = new ArrayList<>(List.of(Register.empty(), Register.empty(), Register.empty()));
        List<Set<Integer>> seen = new ArrayList<>(List.of(new HashSet<>(), new HashSet<>(), new HashSet<>()));
        List<Register<String>> states = new ArrayList<>();
        List<Write> writes = new ArrayList<>();
        for (Action a : actions) {
            Register<String> before = replicas.get(a.region());
            Register<String> after;
            if (a.write()) {
                after = before.write("v" + a.value(), OrswotPropertyTests.REGIONS.get(a.region()), a.time());
                seen.get(a.region()).add(writes.size());
                writes.add(new Write(after.winner().orElseThrow(), Set.copyOf(seen.get(a.region())), before.winner(),
                        before.conflicts()));
            } else {
                after = before.merge(replicas.get(a.from()));
                seen.get(a.region()).addAll(seen.get(a.from()));
            }
            replicas.set(a.region(), after);
            states.add(after);
        }
        return new Run(replicas, states, writes, seen);
    }

    @Property(tries = TRIES)
    void siblingsAreTheWritesNoSeenWriteSupersededAndTheLatestWins(@ForAll("histories") List<Action> actions) {
        Run run = run(actions);
        for (int r = 0; r < 3; r++) {
            Set<Integer> seen = run.seen().get(r);
            Set<Register.Version<String>> maximal = new HashSet<>();
            for (int w : seen) {
                boolean superseded = seen.stream().anyMatch(o -> o != w && run.writes().get(o).seen().contains(w));
                if (!superseded) {
                    maximal.add(run.writes().get(w).version());
                }
            }
            Register<String> replica = run.replicas().get(r);
            assertThat(new HashSet<>(replica.siblings())).isEqualTo(maximal);
            assertThat(replica.winner()).isEqualTo(maximal.stream().max(Comparator
                    .<Register.Version<String>>comparingLong(Register.Version::writtenAt).thenComparing(Register.Version::replica)));
            assertThat(replica.conflicts()).hasSize(Math.max(0, maximal.size() - 1)).doesNotContain(replica.winner().orElse(null));
        }
    }

    @Property(tries = TRIES)
    void nothingDisappearsUnlessOverwrittenWhileShown(@ForAll("histories") List<Action> actions) {
        Run run = run(actions);
        for (int r = 0; r < 3; r++) {
            Register<String> replica = run.replicas().get(r);
            if (replica.history().size() == Register.HISTORY_LIMIT) {
                continue;
            }
            for (int w : run.seen().get(r)) {
                Register.Version<String> version = run.writes().get(w).version();
                boolean overwrittenWhileShown = run.seen().get(r).stream()
                        .anyMatch(o -> run.writes().get(o).overwrote().equals(Optional.of(version)));
                assertThat(replica.siblings().contains(version) || replica.history().contains(version) || overwrittenWhileShown)
                        .as("%s is shown, a conflict, in the history or was overwritten while shown", version).isTrue();
            }
            for (int w : run.seen().get(r)) {
                assertThat(replica.history()).containsAll(run.writes().get(w).beat());
            }
        }
    }

    @Property(tries = TRIES)
    void mergeIsCommutativeAssociativeAndIdempotent(@ForAll("histories") List<Action> actions) {
        List<Register<String>> s = run(actions).replicas();
        Laws.join(s.get(0), s.get(1), s.get(2), Register::merge);
    }

    @Property(tries = TRIES)
    void replicasReceivingTheSameStatesInAnyOrderConverge(@ForAll("histories") List<Action> actions,
            @ForAll long seed1, @ForAll long seed2) {
        List<Register<String>> states = run(actions).states();
        Laws.<Register<String>>convergeInAnyOrder(states, Register.empty(), Register::merge, s -> s.digest(Function.identity()), seed1, seed2);
    }

    @Provide
    Arbitrary<List<Action>> histories() {
        Arbitrary<Integer> region = Arbitraries.integers().between(0, 2);
        return Combinators.combine(Arbitraries.of(true, false), region, Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 4), region).as(Action::new).list().ofMaxSize(30);
    }
}
