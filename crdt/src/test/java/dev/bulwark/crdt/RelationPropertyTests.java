package dev.bulwark.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The relation CRDT over arbitrary histories of three regions where both players request,
 * accept, decline, unfriend, block and unblock, and regions merge at arbitrary moments (every
 * interleaving of concurrent operations): merge is a join, replicas converge, and every state is
 * exactly the specification in {@link Relation}'s documentation — blocks win, and a block voids for
 * good the friendships and requests made without seeing it.
 */
class RelationPropertyTests {

    static final UUID ANN = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    static final UUID BOB = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    private static final List<UUID> PLAYERS = List.of(ANN, BOB);
    private static final int TRIES = 100;
    // Weighted so that a history often ends friends, blocked, unblocked with voided ties, or pending.
    static final List<Kind> WEIGHTED = List.of(Kind.REQUEST, Kind.REQUEST, Kind.REQUEST, Kind.ACCEPT, Kind.ACCEPT,
            Kind.ACCEPT, Kind.DECLINE, Kind.CANCEL, Kind.UNFRIEND, Kind.BLOCK, Kind.UNBLOCK, Kind.UNBLOCK,
            Kind.MERGE, Kind.MERGE, Kind.MERGE, Kind.MERGE);

    enum Kind { REQUEST, ACCEPT, DECLINE, CANCEL, UNFRIEND, BLOCK, UNBLOCK, MERGE }

    record Action(Kind kind, int region, int player, int from) {
    }

    record Op(Kind kind, UUID by, Set<Integer> seen) {
    }

    record Run(List<Relation> replicas, List<Relation> states, List<Op> ops, List<Set<Integer>> seen) {
    }

    static Run run(List<Action> actions) {
        Relation empty = Relation.between(ANN, BOB);
        List<Relation> replicas = new ArrayList<>(List.of(empty, empty, empty));
        List<Set<Integer>> seen = new ArrayList<>(List.of(new HashSet<>(), new HashSet<>(), new HashSet<>()));
        List<Relation> states = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        for (Action a : actions) {
            Relation before = replicas.get(a.region());
            UUID by = PLAYERS.get(a.player());
            UUID other = PLAYERS.get(1 - a.player());
            String region = OrswotPropertyTests.REGIONS.get(a.region());
            Relation after;
            try {
                after = switch (a.kind()) {
                    case REQUEST -> before.request(by, region);
                    case ACCEPT -> before.accept(by, region);
                    case DECLINE -> before.dropRequest(by, other, region);
                    case CANCEL -> before.dropRequest(by, by, region);
                    case UNFRIEND -> before.unfriend(by, region);
                    case BLOCK -> before.block(by, region);
                    case UNBLOCK -> before.unblock(by, region);
                    case MERGE -> before.merge(replicas.get(a.from()));
                };
            } catch (IllegalStateException refused) {
                continue;
            }
            if (a.kind() == Kind.MERGE) {
                seen.get(a.region()).addAll(seen.get(a.from()));
            } else if (!after.equals(before)) {
                seen.get(a.region()).add(ops.size());
                ops.add(new Op(a.kind(), a.kind() == Kind.DECLINE ? other : by, Set.copyOf(seen.get(a.region()))));
            }
            replicas.set(a.region(), after);
            states.add(after);
        }
        return new Run(replicas, states, ops, seen);
    }

    /** The specification, over the ops a replica has seen ({@code by} of a decline: the requester). */
    static Relation.View specified(List<Op> ops, Set<Integer> seen) {
        List<Integer> mine = seen.stream().sorted().toList();
        Set<UUID> blockers = new TreeSet<>();
        for (int b : mine) {
            Op block = ops.get(b);
            if (block.kind() == Kind.BLOCK && !undone(ops, mine, b, r -> r.kind() == Kind.UNBLOCK && r.by().equals(block.by()))) {
                blockers.add(block.by());
            }
        }
        if (!blockers.isEmpty()) {
            return new Relation.View(false, Set.of(), blockers);
        }
        List<Integer> blocks = mine.stream().filter(i -> ops.get(i).kind() == Kind.BLOCK).toList();
        boolean friends = mine.stream().anyMatch(i -> ops.get(i).kind() == Kind.ACCEPT
                && ops.get(i).seen().containsAll(blocks)
                && !undone(ops, mine, i, r -> r.kind() == Kind.UNFRIEND || r.kind() == Kind.BLOCK));
        if (friends) {
            return new Relation.View(true, Set.of(), Set.of());
        }
        Set<UUID> requests = new TreeSet<>();
        for (int q : mine) {
            Op request = ops.get(q);
            if (request.kind() == Kind.REQUEST && request.seen().containsAll(blocks)
                    && !undone(ops, mine, q, r -> r.kind() == Kind.ACCEPT || r.kind() == Kind.BLOCK
                            || ((r.kind() == Kind.DECLINE || r.kind() == Kind.CANCEL) && r.by().equals(request.by())))) {
                requests.add(request.by());
            }
        }
        return new Relation.View(false, requests, Set.of());
    }

    /** Whether an op that saw op {@code i} undid it. */
    private static boolean undone(List<Op> ops, List<Integer> seen, int i, java.util.function.Predicate<Op> undoes) {
        return seen.stream().map(ops::get).anyMatch(r -> r.seen().contains(i) && undoes.test(r));
    }

    @Property(tries = TRIES)
    void everyReplicaShowsExactlyWhatTheSpecificationSaysOfTheOpsItHasSeen(@ForAll("histories") List<Action> actions) {
        Run run = run(actions);
        for (int r = 0; r < 3; r++) {
            assertThat(run.replicas().get(r).view()).isEqualTo(specified(run.ops(), run.seen().get(r)));
        }
        Relation all = Laws.fold(run.replicas(), Relation.between(ANN, BOB), Relation::merge);
        Set<Integer> everything = new HashSet<>();
        run.seen().forEach(everything::addAll);
        assertThat(all.view()).isEqualTo(specified(run.ops(), everything));
    }

    @Property(tries = TRIES)
    void blocksWinAndUnblockingNeverBringsBackAFriendshipWhateverTheInterleaving(
            @ForAll("histories") List<Action> actions, @ForAll long seed) {
        Run run = run(actions);
        Relation replica = Relation.between(ANN, BOB);
        for (Relation state : Deliveries.shuffledWithDuplicates(run.states(), seed)) {
            replica = replica.merge(state);
            Relation.View view = replica.view();
            if (view.blocked()) {
                assertThat(view.friends()).isFalse();
                assertThat(view.requestsFrom()).isEmpty();
                Relation unblocked = replica;
                for (UUID blocker : view.blockedBy()) {
                    unblocked = unblocked.unblock(blocker, "eu");
                }
                assertThat(unblocked.view()).isEqualTo(new Relation.View(false, Set.of(), Set.of()));
            }
        }
    }

    @Property(tries = TRIES)
    void mergeIsCommutativeAssociativeAndIdempotent(@ForAll("histories") List<Action> actions) {
        List<Relation> s = run(actions).replicas();
        Laws.join(s.get(0), s.get(1), s.get(2), Relation::merge);
    }

    @Property(tries = TRIES)
    void replicasReceivingTheSameStatesInAnyOrderConverge(@ForAll("histories") List<Action> actions,
            @ForAll long seed1, @ForAll long seed2) {
        List<Relation> states = run(actions).states();
        Laws.<Relation>convergeInAnyOrder(states, Relation.between(ANN, BOB), Relation::merge, Relation::digest, seed1, seed2);
    }

    @Provide
    Arbitrary<List<Action>> histories() {
        Arbitrary<Kind> kinds = Arbitraries.of(WEIGHTED);
        Arbitrary<Integer> region = Arbitraries.integers().between(0, 2);
        return Combinators.combine(kinds, region, Arbitraries.integers().between(0, 1), region)
                .as(Action::new).list().ofMaxSize(30);
    }
}
