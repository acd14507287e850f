package dev.bulwark.social.friend;

import dev.bulwark.social.friend.Friends.State;

/**
 * The friend transitions as a function of how two players see each other, apart from storage:
 * each rule takes the pair as it is and returns it as it must become, or refuses. A block wins
 * over everything: while either player blocks the other, no request or acceptance passes
 * either way, and blocking ends any friendship or invitation between them.
 */
final class FriendRules {

    /**
     * How {@code player} sees {@code other} ({@code mine}) and back ({@code theirs}); null is no
     * relation. Kept consistent by the rules: FRIEND on both sides or neither, INVITE_SENT
     * opposite INVITE_RECEIVED, and a BLOCKED side faces BLOCKED or nothing.
     */
    record Pair(State mine, State theirs) {

        static final Pair STRANGERS = new Pair(null, null);
    }

    private FriendRules() {
    }

    /** An invitation, or the acceptance of the other's; a repeat changes nothing. */
    static Pair request(Pair pair) {
        if (pair.theirs() == State.BLOCKED) {
            throw FriendRefusal.blocked("This player does not accept requests from you");
        }
        if (pair.mine() == State.BLOCKED) {
            throw FriendRefusal.blocked("You blocked this player; unblock first");
        }
        if (pair.mine() == State.INVITE_RECEIVED) {
            return befriended();
        }
        if (pair.mine() != null) {
            return pair;
        }
        return new Pair(State.INVITE_SENT, State.INVITE_RECEIVED);
    }

    /** Accepting needs an invitation; without one it is refused rather than turned into a request. */
    static Pair accept(Pair pair) {
        if (pair.mine() == State.FRIEND) {
            return pair;
        }
        if (pair.mine() != State.INVITE_RECEIVED) {
            throw new FriendRefusal(FriendRefusal.Reason.NO_INVITATION,
                    "There is no invitation from this player to accept");
        }
        return befriended();
    }

    /** Unfriending, withdrawing or declining; a block is lifted by unblocking, not by this. */
    static Pair remove(Pair pair) {
        if (pair.mine() == null) {
            throw FriendRefusal.notFound("Friendship or invitation");
        }
        if (pair.mine() == State.BLOCKED) {
            throw FriendRefusal.blocked("This player is blocked; unblock them instead");
        }
        return Pair.STRANGERS;
    }

    /** Ends whatever the two had, except the other's own block of this player. */
    static Pair block(Pair pair) {
        return new Pair(State.BLOCKED, pair.theirs() == State.BLOCKED ? State.BLOCKED : null);
    }

    /** The two are strangers afterwards, unless the other still blocks. */
    static Pair unblock(Pair pair) {
        if (pair.mine() != State.BLOCKED) {
            throw FriendRefusal.notFound("Block");
        }
        return new Pair(null, pair.theirs());
    }

    private static Pair befriended() {
        return new Pair(State.FRIEND, State.FRIEND);
    }
}
