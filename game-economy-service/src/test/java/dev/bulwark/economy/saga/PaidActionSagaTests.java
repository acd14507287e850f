package dev.bulwark.economy.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.bulwark.economy.paidaction.Funds;
import dev.bulwark.economy.paidaction.PaidAction;
import dev.bulwark.economy.paidaction.PaidActionSagas;
import dev.bulwark.economy.saga.SagaMachine.Transition;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.saga.CancelStep;
import dev.bulwark.events.saga.ChangeDisplayName;
import dev.bulwark.events.saga.CreateGuild;
import dev.bulwark.events.saga.GrantXpBoost;
import dev.bulwark.events.saga.SagaCommand;
import dev.bulwark.events.saga.SagaOutcome;
import dev.bulwark.events.saga.SagaReply;

/**
 * Each paid-action saga without a broker or a database: given where it stands and a reply, a
 * deadline or an operator's request, expect the next command, a capture or a release.
 */
class PaidActionSagaTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration CANCEL_RETRY = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    private static final UUID BUYER = UUID.randomUUID();

    /** Records what the saga asked of the wallets, in order. */
    static final class RecordingFunds implements Funds {
        final List<String> calls = new ArrayList<>();

        @Override
        public void hold(UUID playerId, UUID holdId, Currency currency, long amount, String reason) {
            calls.add("hold " + amount + " " + currency);
        }

        @Override
        public void capture(UUID playerId, UUID holdId) {
            calls.add("capture");
        }

        @Override
        public void release(UUID playerId, UUID holdId) {
            calls.add("release");
        }
    }

    /** A saga under test: its machine, the wallets it drove and the commands it sent. */
    static final class Scenario {
        final RecordingFunds funds = new RecordingFunds();
        final SagaMachine<PaidAction> machine;
        final PaidAction data;
        final UUID sagaId = UUID.randomUUID();
        final List<SagaCommand> sent = new ArrayList<>();
        SagaInstance<PaidAction> instance;

        Scenario(BiFunction<Funds, Duration, SagaDefinition<PaidAction>> saga, PaidAction data) {
            this.machine = new SagaMachine<>(saga.apply(funds, DEADLINE), CANCEL_RETRY);
            this.data = data;
        }

        Scenario started() {
            return apply(machine.start(sagaId, data, T0));
        }

        Scenario reply(SagaOutcome outcome, String reason, Map<String, String> result) {
            return apply(machine.onReply(instance, new SagaReply(sagaId, awaitedStep(), outcome, reason, result), T0));
        }

        Scenario reply(SagaOutcome outcome) {
            return reply(outcome, null, Map.of());
        }

        Scenario deadlinePassed(Duration after) {
            return apply(machine.onDeadline(instance, T0.plus(after)));
        }

        String awaitedStep() {
            return machine.definition().step(Math.min(instance.step(), machine.definition().steps().size() - 1)).name();
        }

        Scenario apply(Transition<PaidAction> transition) {
            machine.perform(transition, sent::add);
            instance = transition.next();
            return this;
        }

        /** Forgets what happened so far, to assert on what the next event does. */
        Scenario then() {
            funds.calls.clear();
            sent.clear();
            return this;
        }
    }

    static Stream<Scenario> everyPaidAction() {
        return Stream.of(
                new Scenario(PaidActionSagas::guildCharter,
                        new PaidAction(BUYER, "guild-charter", Currency.GOLD, 500, Map.of("guildName", "Knights"), null)),
                new Scenario(PaidActionSagas::xpBoost, new PaidAction(BUYER, "xp-boost", Currency.GEM, 5, Map.of(), null)),
                new Scenario(PaidActionSagas::nameChange,
                        new PaidAction(BUYER, "name-change", Currency.GEM, 3, Map.of("displayName", "Ayla"), null)));
    }

    @ParameterizedTest
    @MethodSource("everyPaidAction")
    void startingHoldsThePriceThenCommandsTheParticipantAndWaits(Scenario s) {
        s.started();
        assertThat(s.funds.calls).containsExactly("hold " + s.data.price() + " " + s.data.currency());
        assertThat(s.sent).singleElement().satisfies(c -> {
            assertThat(c.sagaId()).isEqualTo(s.sagaId);
            assertThat(c.step()).isEqualTo(s.awaitedStep());
        });
        assertThat(s.instance.state()).isEqualTo(SagaState.WAITING);
        assertThat(s.instance.deadline()).isEqualTo(T0.plus(DEADLINE));
    }

    @ParameterizedTest
    @MethodSource("everyPaidAction")
    void successCapturesAndCompletes(Scenario s) {
        s.started().then().reply(SagaOutcome.SUCCEEDED);
        assertThat(s.funds.calls).containsExactly("capture");
        assertThat(s.sent).isEmpty();
        assertThat(s.instance.state()).isEqualTo(SagaState.COMPLETED);
    }

    @ParameterizedTest
    @MethodSource("everyPaidAction")
    void aFailureReleasesTheHoldAndKeepsTheReason(Scenario s) {
        s.started().then().reply(SagaOutcome.FAILED, "name-taken", Map.of());
        assertThat(s.funds.calls).containsExactly("release");
        assertThat(s.instance.state()).isEqualTo(SagaState.FAILED);
        assertThat(s.instance.reason()).isEqualTo("name-taken");
    }

    @ParameterizedTest
    @MethodSource("everyPaidAction")
    void aPassedDeadlineSendsCancelAndReleasesNothing(Scenario s) {
        String step = s.started().awaitedStep();
        s.then().deadlinePassed(DEADLINE);
        assertThat(s.funds.calls).isEmpty();
        assertThat(s.sent).singleElement().isInstanceOfSatisfying(CancelStep.class, c -> {
            assertThat(c.sagaId()).isEqualTo(s.sagaId);
            assertThat(c.step()).isEqualTo(step);
        });
        assertThat(s.instance.state()).isEqualTo(SagaState.CANCELLING);
    }

    @ParameterizedTest
    @MethodSource("everyPaidAction")
    void anUnansweredCancelIsSentAgainAndTheFundsStayHeld(Scenario s) {
        s.started().deadlinePassed(DEADLINE).then().deadlinePassed(DEADLINE.plus(CANCEL_RETRY));
        assertThat(s.funds.calls).isEmpty();
        assertThat(s.sent).singleElement().isInstanceOf(CancelStep.class);
        assertThat(s.instance.state()).isEqualTo(SagaState.CANCELLING);
        assertThat(s.instance.cancelAttempts()).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("everyPaidAction")
    void aConfirmedCancelReleases(Scenario s) {
        s.started().deadlinePassed(DEADLINE).then().reply(SagaOutcome.CANCELLED);
        assertThat(s.funds.calls).containsExactly("release");
        assertThat(s.instance.state()).isEqualTo(SagaState.CANCELLED);
    }

    @ParameterizedTest
    @MethodSource("everyPaidAction")
    void anEffectThatHappenedBeforeTheCancelIsCaptured(Scenario s) {
        s.started().deadlinePassed(DEADLINE).then().reply(SagaOutcome.ALREADY_DONE);
        assertThat(s.funds.calls).containsExactly("capture");
        assertThat(s.instance.state()).isEqualTo(SagaState.COMPLETED);
    }

    @ParameterizedTest
    @MethodSource("everyPaidAction")
    void aReplyToAFinishedSagaChangesNothing(Scenario s) {
        s.started().reply(SagaOutcome.SUCCEEDED).then();
        Transition<PaidAction> late = s.machine.onReply(s.instance,
                new SagaReply(s.sagaId, s.machine.definition().step(1).name(), SagaOutcome.CANCELLED, null, Map.of()), T0);
        s.apply(late);
        assertThat(late.ignored()).isTrue();
        assertThat(s.funds.calls).isEmpty();
        assertThat(s.instance.state()).isEqualTo(SagaState.COMPLETED);
    }

    @ParameterizedTest
    @MethodSource("everyPaidAction")
    void aReplyToAnotherStepIsIgnored(Scenario s) {
        s.started().then();
        Transition<PaidAction> stray = s.machine.onReply(s.instance,
                new SagaReply(s.sagaId, "hold-funds", SagaOutcome.FAILED, "x", Map.of()), T0);
        assertThat(stray.ignored()).isTrue();
        assertThat(stray.actions()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("everyPaidAction")
    void anOperatorRetrySendsTheSameCommandAgain(Scenario s) {
        s.started();
        SagaCommand first = s.sent.getFirst();
        s.then().apply(s.machine.retry(s.instance, T0.plusSeconds(5)));
        assertThat(s.sent).containsExactly(first);
        assertThat(s.funds.calls).isEmpty();
        assertThat(s.instance.deadline()).isEqualTo(T0.plusSeconds(5).plus(DEADLINE));
    }

    @ParameterizedTest
    @MethodSource("everyPaidAction")
    void anOperatorCancelRunsTheCancelProtocolAndNeverReleasesOnAGuess(Scenario s) {
        String step = s.started().awaitedStep();
        s.then().apply(s.machine.forceCancel(s.instance, T0.plusSeconds(1)));
        assertThat(s.funds.calls).as("the participant may have applied the effect: nothing is released yet").isEmpty();
        assertThat(s.sent).singleElement().isInstanceOfSatisfying(CancelStep.class, c -> {
            assertThat(c.sagaId()).isEqualTo(s.sagaId);
            assertThat(c.step()).isEqualTo(step);
        });
        assertThat(s.instance.state()).isEqualTo(SagaState.CANCELLING);

        s.then().reply(SagaOutcome.ALREADY_DONE);
        assertThat(s.funds.calls).as("the effect happened first: it is paid for").containsExactly("capture");
        assertThat(s.instance.state()).isEqualTo(SagaState.COMPLETED);

        Transition<PaidAction> again = s.machine.forceCancel(s.instance, T0.plusSeconds(2));
        assertThat(again.ignored()).as("a finished saga cannot be cancelled").isTrue();
        assertThat(again.actions()).isEmpty();
    }

    @Test
    void theGuildCharterCommandsTheBuyersGuildAndKeepsItsId() {
        Scenario s = everyPaidAction().findFirst().orElseThrow().started();
        assertThat(s.sent).singleElement()
                .isEqualTo(new CreateGuild(s.sagaId, "create-guild", BUYER, "Knights"));
        s.reply(SagaOutcome.SUCCEEDED, null, Map.of("guildId", "g-1"));
        assertThat(s.instance.data().result()).containsEntry("guildId", "g-1");
    }

    @Test
    void theXpBoostAndNameChangeCommandTheirEffects() {
        List<Scenario> scenarios = everyPaidAction().skip(1).map(Scenario::started).toList();
        assertThat(scenarios.get(0).sent).singleElement().isInstanceOfSatisfying(GrantXpBoost.class, c -> {
            assertThat(c.playerId()).isEqualTo(BUYER);
            assertThat(c.bonusPercent()).isEqualTo(PaidActionSagas.XP_BOOST_PERCENT);
        });
        assertThat(scenarios.get(1).sent).singleElement()
                .isEqualTo(new ChangeDisplayName(scenarios.get(1).sagaId, "change-display-name", BUYER, "Ayla"));
    }
}
