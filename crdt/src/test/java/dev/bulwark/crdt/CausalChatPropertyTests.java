package dev.bulwark.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Guild chat over arbitrary histories of three regions posting (replies to whatever they have
 * delivered) and receiving any message already posted anywhere, in any order and repeatedly: no
 * region ever delivers or shows a message before one it depends on, and regions holding the same
 * messages show the same list.
 */
class CausalChatPropertyTests {

    private static final int TRIES = 100;

    record Action(boolean post, int region, int pick, int time) {
    }

    @Property(tries = TRIES)
    void noRegionDeliversOrShowsAMessageBeforeWhatItDependsOn(@ForAll("histories") List<Action> actions) {
        List<CausalChat> regions = regions();
        List<List<ChatMessage>> deliveryOrder = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<ChatMessage> posted = new ArrayList<>();
        for (Action a : actions) {
            CausalChat chat = regions.get(a.region());
            if (a.post() || posted.isEmpty()) {
                ChatMessage m = chat.post("p" + a.region(), "m" + posted.size(), a.time());
                posted.add(m);
                deliveryOrder.get(a.region()).add(m);
            } else {
                deliveryOrder.get(a.region()).addAll(chat.receive(posted.get(a.pick() % posted.size())));
            }
            assertCausal(deliveryOrder.get(a.region()), posted);
            assertCausal(chat.shown(), posted);
        }
    }

    @Property(tries = TRIES)
    void regionsThatReceivedTheSameMessagesInAnyOrderShowTheSameList(@ForAll("histories") List<Action> actions,
            @ForAll long seed1, @ForAll long seed2) {
        List<ChatMessage> posted = posted(actions);
        CausalChat one = new CausalChat("x");
        CausalChat two = new CausalChat("y");
        Deliveries.shuffledWithDuplicates(posted, seed1).forEach(one::receive);
        Deliveries.shuffledWithDuplicates(posted, seed2).forEach(two::receive);

        assertThat(one.pending()).isEmpty();
        assertThat(one.shown()).hasSameSizeAs(posted).isEqualTo(two.shown());
        assertThat(one.digest()).isEqualTo(two.digest());
        assertCausal(one.shown(), posted);
        assertThat(one.shown()).isSortedAccordingTo(ChatMessage.DISPLAY_ORDER);
    }

    @Property(tries = TRIES)
    void whatAPeerMissesIsExactlyWhatItHasNotDelivered(@ForAll("histories") List<Action> actions, @ForAll long seed) {
        List<ChatMessage> posted = posted(actions);
        CausalChat full = new CausalChat("x");
        posted.forEach(full::receive);
        CausalChat partial = new CausalChat("y");
        List<ChatMessage> some = Deliveries.shuffledWithDuplicates(posted, seed);
        some.subList(0, some.size() / 2).forEach(partial::receive);

        full.missingFrom(partial.delivered()).forEach(partial::receive);

        assertThat(partial.shown()).isEqualTo(full.shown());
        assertThat(partial.digest()).isEqualTo(full.digest());
    }

    private static void assertCausal(List<ChatMessage> order, List<ChatMessage> posted) {
        for (int i = 0; i < order.size(); i++) {
            ChatMessage m = order.get(i);
            for (ChatMessage cause : posted) {
                if (m.dependsOn(cause)) {
                    assertThat(order.subList(0, i)).as("%s shown after what it depends on", m.body()).contains(cause);
                }
            }
        }
    }

    private static List<ChatMessage> posted(List<Action> actions) {
        List<CausalChat> regions = regions();
        List<ChatMessage> posted = new ArrayList<>();
        for (Action a : actions) {
            if (a.post() || posted.isEmpty()) {
                posted.add(regions.get(a.region()).post("p" + a.region(), "m" + posted.size(), a.time()));
            } else {
                regions.get(a.region()).receive(posted.get(a.pick() % posted.size()));
            }
        }
        return posted;
    }

    private static List<CausalChat> regions() {
        return OrswotPropertyTests.REGIONS.stream().map(CausalChat::new).toList();
    }

    @Provide
    Arbitrary<List<Action>> histories() {
        return Combinators.combine(Arbitraries.of(true, false, false), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 3))
                .as(Action::new).list().ofMaxSize(30);
    }
}
