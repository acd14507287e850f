package dev.bulwark.social.friend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import dev.bulwark.social.friend.FriendRefusal.Reason;
import dev.bulwark.social.friend.FriendRules.Pair;
import dev.bulwark.social.friend.Friends.State;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The friend rules alone, no database: each transition by example, and random sequences of every
 * action by either of two players, whose pair must stay consistent and in which a block always
 * wins, whatever came before it or after it.
 */
class FriendRulesTests {

    private static final Pair STRANGERS = Pair.STRANGERS;

    @Test
    void aRequestInvitesAndTheRequestBackOrAnAcceptanceBefriends() {
        Pair invited = FriendRules.request(STRANGERS);
        assertThat(invited).isEqualTo(new Pair(State.INVITE_SENT, State.INVITE_RECEIVED));
        assertThat(FriendRules.request(invited)).as("a repeat changes nothing").isEqualTo(invited);

        Pair friends = new Pair(State.FRIEND, State.FRIEND);
        assertThat(FriendRules.request(flip(invited))).as("asking back").isEqualTo(friends);
        assertThat(FriendRules.accept(flip(invited))).isEqualTo(friends);
        assertThat(FriendRules.accept(friends)).isEqualTo(friends);
        assertThat(FriendRules.request(friends)).isEqualTo(friends);
    }

    @Test
    void acceptingWithoutAnInvitationIsRefusedNotTurnedIntoARequest() {
        Pair invited = FriendRules.request(STRANGERS);
        assertRefused(() -> FriendRules.accept(STRANGERS), Reason.NO_INVITATION);
        assertRefused(() -> FriendRules.accept(invited), Reason.NO_INVITATION);
    }

    @Test
    void removingEndsFriendshipsAndInvitationsButNotBlocks() {
        assertThat(FriendRules.remove(new Pair(State.FRIEND, State.FRIEND))).isEqualTo(STRANGERS);
        assertThat(FriendRules.remove(new Pair(State.INVITE_SENT, State.INVITE_RECEIVED))).as("withdraw").isEqualTo(STRANGERS);
        assertThat(FriendRules.remove(new Pair(State.INVITE_RECEIVED, State.INVITE_SENT))).as("decline").isEqualTo(STRANGERS);
        assertRefused(() -> FriendRules.remove(STRANGERS), Reason.NOT_FOUND);
        assertRefused(() -> FriendRules.remove(new Pair(State.BLOCKED, null)), Reason.BLOCKED);
    }

    @Test
    void aBlockEndsEverythingButTheOthersOwnBlockAndUnblockingLeavesStrangers() {
        for (Pair pair : List.of(STRANGERS, new Pair(State.FRIEND, State.FRIEND),
                new Pair(State.INVITE_SENT, State.INVITE_RECEIVED), new Pair(State.INVITE_RECEIVED, State.INVITE_SENT))) {
            assertThat(FriendRules.block(pair)).as("block from %s", pair).isEqualTo(new Pair(State.BLOCKED, null));
        }
        Pair mutual = new Pair(State.BLOCKED, State.BLOCKED);
        assertThat(FriendRules.block(new Pair(null, State.BLOCKED))).isEqualTo(mutual);
        assertThat(FriendRules.block(mutual)).isEqualTo(mutual);

        assertThat(FriendRules.unblock(new Pair(State.BLOCKED, null))).isEqualTo(STRANGERS);
        assertThat(FriendRules.unblock(mutual)).as("the other block stays").isEqualTo(new Pair(null, State.BLOCKED));
        assertRefused(() -> FriendRules.unblock(STRANGERS), Reason.NOT_FOUND);
        assertRefused(() -> FriendRules.unblock(new Pair(null, State.BLOCKED)), Reason.NOT_FOUND);
    }

    @Test
    void noRequestPassesABlockEitherWay() {
        Pair blocking = new Pair(State.BLOCKED, null);
        assertRefused(() -> FriendRules.request(blocking), Reason.BLOCKED);
        assertRefused(() -> FriendRules.request(flip(blocking)), Reason.BLOCKED);
    }

    /** One player's action; {@code byFirst} false means the second player acts. */
    record Action(boolean byFirst, String name) {

        Pair apply(Pair seenByFirst) {
            UnaryOperator<Pair> rule = switch (name) {
                case "request" -> FriendRules::request;
                case "accept" -> FriendRules::accept;
                case "remove" -> FriendRules::remove;
                case "block" -> FriendRules::block;
                case "unblock" -> FriendRules::unblock;
                default -> throw new IllegalArgumentException(name);
            };
            try {
                return byFirst ? rule.apply(seenByFirst) : flip(rule.apply(flip(seenByFirst)));
            } catch (FriendRefusal refused) {
                return seenByFirst;
            }
        }
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        return Combinators.combine(Arbitraries.of(true, false),
                        Arbitraries.of("request", "accept", "remove", "block", "unblock"))
                .as(Action::new).list().ofMaxSize(30);
    }

    @Property(tries = 200)
    void everySequenceLeavesAConsistentPair(@ForAll("actions") List<Action> actions) {
        Pair pair = STRANGERS;
        for (Action action : actions) {
            pair = action.apply(pair);
            assertConsistent(pair);
        }
    }

    @Property(tries = 200)
    void aBlockWinsWhateverCameBeforeAndWhateverFollowsUntilItIsLifted(@ForAll("actions") List<Action> before,
            @ForAll boolean byFirst, @ForAll("actions") List<Action> after) {
        Pair pair = STRANGERS;
        for (Action action : before) {
            pair = action.apply(pair);
        }
        pair = new Action(byFirst, "block").apply(pair);
        for (Action action : after) {
            if (action.byFirst() == byFirst && action.name().equals("unblock")) {
                break;
            }
            pair = action.apply(pair);
            State blocker = byFirst ? pair.mine() : pair.theirs();
            State blocked = byFirst ? pair.theirs() : pair.mine();
            assertThat(blocker).as("after %s", action).isEqualTo(State.BLOCKED);
            assertThat(blocked).as("after %s", action).isIn(null, State.BLOCKED);
        }
    }

    private static void assertConsistent(Pair pair) {
        assertThat(pair.mine() == State.FRIEND).isEqualTo(pair.theirs() == State.FRIEND);
        assertThat(pair.mine() == State.INVITE_SENT).isEqualTo(pair.theirs() == State.INVITE_RECEIVED);
        assertThat(pair.mine() == State.INVITE_RECEIVED).isEqualTo(pair.theirs() == State.INVITE_SENT);
        if (pair.mine() == State.BLOCKED) {
            assertThat(pair.theirs()).isIn(null, State.BLOCKED);
        }
        if (pair.theirs() == State.BLOCKED) {
            assertThat(pair.mine()).isIn(null, State.BLOCKED);
        }
    }

    private static Pair flip(Pair pair) {
        return new Pair(pair.theirs(), pair.mine());
    }

    private static void assertRefused(Runnable rule, Reason reason) {
        assertThatThrownBy(rule::run).isInstanceOfSatisfying(FriendRefusal.class,
                refusal -> assertThat(refusal.reason()).isEqualTo(reason));
    }
}
