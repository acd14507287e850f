package dev.bulwark.crdt;

import static dev.bulwark.crdt.RelationPropertyTests.ANN;
import static dev.bulwark.crdt.RelationPropertyTests.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** The relation's rules, one scenario at a time, across the regions "eu" and "us". */
class RelationTests {

    private final Relation requested = Relation.between(ANN, BOB).request(ANN, "eu");

    @Test
    void aBlockWinsOverAFriendshipAcceptedConcurrentlyInEitherOrderOfArrival() {
        Relation accepted = requested.accept(BOB, "us");
        Relation blocked = requested.block(ANN, "eu");

        for (Relation merged : new Relation[] {accepted.merge(blocked), blocked.merge(accepted)}) {
            assertThat(merged.view()).isEqualTo(new Relation.View(false, Set.of(), Set.of(ANN)));
        }
    }

    @Test
    void unblockingDoesNotBringBackAFriendshipTheBlockDidNotSee() {
        Relation accepted = requested.accept(BOB, "us");
        Relation blockedThenUnblocked = requested.block(ANN, "eu").unblock(ANN, "eu");

        // The friendship arrives only after the unblock, and still does not count.
        Relation merged = blockedThenUnblocked.merge(accepted);

        assertThat(merged.view()).isEqualTo(new Relation.View(false, Set.of(), Set.of()));
        assertThat(merged.request(BOB, "eu").accept(ANN, "eu").view().friends()).isTrue();
    }

    @Test
    void aRequestMadeWithoutSeeingABlockStaysVoidAfterTheUnblock() {
        Relation base = Relation.between(ANN, BOB);
        Relation askedInUs = base.request(BOB, "us");
        Relation blockedAndLiftedInEu = base.block(ANN, "eu").unblock(ANN, "eu");

        assertThat(askedInUs.merge(blockedAndLiftedInEu).view().requestsFrom()).isEmpty();
    }

    @Test
    void aReBlockConcurrentWithAnUnblockElsewhereLeavesTheBlockInPlace() {
        Relation blocked = Relation.between(ANN, BOB).block(ANN, "eu");
        Relation unblockedInUs = blocked.unblock(ANN, "us");
        Relation reBlockedInEu = blocked.unblock(ANN, "eu").block(ANN, "eu");

        assertThat(unblockedInUs.merge(reBlockedInEu).view().blockedBy()).containsExactly(ANN);
    }

    @Test
    void aFriendshipMadeAgainSurvivesAnUnfriendThatDidNotSeeIt() {
        Relation friends = requested.accept(BOB, "eu");
        Relation unfriendedInUs = friends.unfriend(BOB, "us");
        Relation madeAgainInEu = friends.unfriend(ANN, "eu").request(ANN, "eu").accept(BOB, "eu");

        assertThat(unfriendedInUs.merge(madeAgainInEu).view().friends()).isTrue();
    }

    @Test
    void refusesARequestAcrossABlockAndAnAcceptWithoutARequest() {
        Relation blocked = Relation.between(ANN, BOB).block(BOB, "eu");

        assertThatThrownBy(() -> blocked.request(ANN, "eu")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Relation.between(ANN, BOB).accept(BOB, "eu")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> requested.accept(ANN, "eu")).as("one cannot accept one's own request")
                .isInstanceOf(IllegalStateException.class);
    }
}
