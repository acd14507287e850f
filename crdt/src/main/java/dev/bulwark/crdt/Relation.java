package dev.bulwark.crdt;

import java.util.Comparator;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The social relation between two players — friendship, pending friend requests, blocks — as a
 * convergent state replicated between regions: one {@link Orswot} of {@link Tie}s, plus
 * {@code blocksSeen}, the join of the dots of every block ever placed between the pair (a version
 * vector: one counter per region, however many blocks there were).
 *
 * <p>The rules, which hold whatever the order in which regions learn of each other's operations:
 * <ul>
 * <li><b>A block wins.</b> While either player blocks the other, the view shows no friendship and
 * no request, whatever friendship or request was made concurrently elsewhere. Block and unblock
 * are add-wins: an unblock in one region concurrent with a block in another leaves a block.
 * <li><b>A block voids what it did not see, for good.</b> A friendship or request counts only if
 * whoever made it had seen every block placed between the pair ({@code tie.blocksSeen ≥
 * blocksSeen}). Blocking removes the friendship and requests the blocking region sees; one made
 * concurrently elsewhere (unseen by the block) is void as soon as the block is known, and stays
 * void after the unblock: unblocking never brings back a friendship, and the pair must befriend
 * each other again.
 * <li>Otherwise an ORSWOT's add-wins: a friendship accepted in one region concurrently with an
 * unfriend in the other survives (the unfriend removed only what it had seen).
 * </ul>
 *
 * <p>Operations check their preconditions against the view and throw {@link IllegalStateException}
 * when they do not hold (the service answers 409); {@code replica} is the region applying them.
 */
public record Relation(UUID low, UUID high, Orswot<Tie> ties, VersionVector blocksSeen) {

    /** A fact between the pair. {@code by}: the accepter, the requester, the blocker. */
    public record Tie(Kind kind, UUID by, VersionVector blocksSeen) implements Comparable<Tie> {

        private static final Comparator<Tie> ORDER = Comparator.comparing(Tie::kind)
                .thenComparing(Tie::by)
                .thenComparing(Tie::blocksSeen, VersionVector.CANONICAL);

        @Override
        public int compareTo(Tie other) {
            return ORDER.compare(this, other);
        }

        String canonical() {
            return kind + "|" + by + "|" + blocksSeen.counters();
        }
    }

    public enum Kind { BLOCK, FRIENDS, REQUEST }

    /** What the players see. */
    public record View(boolean friends, Set<UUID> requestsFrom, Set<UUID> blockedBy) {

        public View {
            requestsFrom = Set.copyOf(requestsFrom);
            blockedBy = Set.copyOf(blockedBy);
        }

        public boolean blocked() {
            return !blockedBy.isEmpty();
        }
    }

    public Relation {
        Objects.requireNonNull(ties, "ties");
        Objects.requireNonNull(blocksSeen, "blocksSeen");
        if (low.compareTo(high) >= 0) {
            throw new IllegalArgumentException("a relation is between two players, the smaller id first");
        }
    }

    /** No relation yet between two distinct players (in either order). */
    public static Relation between(UUID a, UUID b) {
        return a.compareTo(b) < 0 ? new Relation(a, b, Orswot.empty(), VersionVector.EMPTY)
                : new Relation(b, a, Orswot.empty(), VersionVector.EMPTY);
    }

    public View view() {
        Set<UUID> blockers = byOf(Kind.BLOCK, false);
        if (!blockers.isEmpty()) {
            return new View(false, Set.of(), blockers);
        }
        if (!byOf(Kind.FRIENDS, true).isEmpty()) {
            return new View(true, Set.of(), Set.of());
        }
        return new View(false, byOf(Kind.REQUEST, true), Set.of());
    }

    public Relation request(UUID from, String replica) {
        UUID to = other(from);
        View view = view();
        require(!view.blocked(), "a block stands between " + from + " and " + to);
        require(!view.friends(), "already friends");
        if (view.requestsFrom().contains(from)) {
            return this;
        }
        return with(ties.add(new Tie(Kind.REQUEST, from, blocksSeen), replica), blocksSeen);
    }

    public Relation accept(UUID by, String replica) {
        require(view().requestsFrom().contains(other(by)), "no request from " + other(by) + " to accept");
        Orswot<Tie> next = ties.removeIf(t -> t.kind() == Kind.REQUEST, replica)
                .add(new Tie(Kind.FRIENDS, by, blocksSeen), replica);
        return with(next, blocksSeen);
    }

    /** {@code by} refuses the other's request, or withdraws their own. */
    public Relation dropRequest(UUID by, UUID requester, String replica) {
        other(by);
        other(requester);
        return with(ties.removeIf(t -> t.kind() == Kind.REQUEST && t.by().equals(requester), replica), blocksSeen);
    }

    public Relation unfriend(UUID by, String replica) {
        other(by);
        return with(ties.removeIf(t -> t.kind() == Kind.FRIENDS, replica), blocksSeen);
    }

    /** Ends friendship and requests as seen here, and places {@code by}'s block. */
    public Relation block(UUID by, String replica) {
        other(by);
        if (view().blockedBy().contains(by)) {
            return this;
        }
        Orswot<Tie> next = ties.removeIf(t -> t.kind() != Kind.BLOCK, replica)
                .add(new Tie(Kind.BLOCK, by, VersionVector.EMPTY), replica);
        return with(next, blocksSeen.merge(VersionVector.of(replica, next.clock().get(replica))));
    }

    /** Lifts {@code by}'s block (the other's, if any, stays) and drops the ties it voided. */
    public Relation unblock(UUID by, String replica) {
        other(by);
        return with(ties.removeIf(t -> (t.kind() == Kind.BLOCK && t.by().equals(by)) || !counts(t), replica),
                blocksSeen);
    }

    public Relation merge(Relation other) {
        require(low.equals(other.low) && high.equals(other.high), "not the same pair of players");
        return with(ties.merge(other.ties), blocksSeen.merge(other.blocksSeen));
    }

    /** What a region knows of this relation: equal versions, equal states. */
    public VersionVector version() {
        return ties.clock();
    }

    public String digest() {
        return Canonical.of("relation").text(low.toString()).text(high.toString()).vector(blocksSeen)
                .text(ties.digest(Tie::canonical)).hex();
    }

    private boolean counts(Tie tie) {
        return tie.kind() == Kind.BLOCK || tie.blocksSeen().dominates(blocksSeen);
    }

    private Set<UUID> byOf(Kind kind, boolean onlyCounting) {
        return ties.elements().stream()
                .filter(t -> t.kind() == kind && (!onlyCounting || counts(t)))
                .map(Tie::by)
                .collect(Collectors.toUnmodifiableSet());
    }

    private UUID other(UUID player) {
        if (player.equals(low)) {
            return high;
        }
        if (player.equals(high)) {
            return low;
        }
        throw new IllegalArgumentException(player + " is not in the relation between " + low + " and " + high);
    }

    private Relation with(Orswot<Tie> nextTies, VersionVector nextBlocksSeen) {
        return new Relation(low, high, nextTies, nextBlocksSeen);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
