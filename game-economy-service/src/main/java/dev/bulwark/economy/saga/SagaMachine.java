package dev.bulwark.economy.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.bulwark.economy.saga.SagaDefinition.Local;
import dev.bulwark.economy.saga.SagaDefinition.Participant;
import dev.bulwark.economy.saga.SagaDefinition.Step;
import dev.bulwark.events.saga.CancelStep;
import dev.bulwark.events.saga.SagaCommand;
import dev.bulwark.events.saga.SagaOutcome;
import dev.bulwark.events.saga.SagaReply;

/**
 * The saga protocol as a pure function: given an instance and what happened (start, a reply, a
 * deadline, an operator's request), the next instance and the actions to take. It touches no
 * database and no broker, so each saga's behaviour is unit-tested directly; {@link SagaOrchestrator}
 * executes the actions and stores the instance in one transaction.
 *
 * <p>The rule that protects money: funds are released only on a reply saying the effect did
 * not and will not happen (FAILED, CANCELLED). A passed deadline sends Cancel and keeps waiting.
 */
final class SagaMachine<D> {

    /** What the orchestrator does for a transition, in order. */
    sealed interface Action {
    }

    /** Run a local step forward. */
    record Invoke(String step) implements Action {
    }

    /** Run the compensation of an earlier local step. */
    record Compensate(String step, String compensation) implements Action {
    }

    /** Send a command (or a Cancel) through the outbox. */
    record Send(SagaCommand command) implements Action {
    }

    record Transition<D>(SagaInstance<D> next, List<Action> actions, String note) {

        /** A transition that changes nothing (a duplicate or stale reply, nothing due); {@code note} says why. */
        boolean ignored() {
            return note != null;
        }
    }

    private final SagaDefinition<D> definition;
    private final Duration cancelRetry;

    SagaMachine(SagaDefinition<D> definition, Duration cancelRetry) {
        this.definition = definition;
        this.cancelRetry = cancelRetry;
    }

    SagaDefinition<D> definition() {
        return definition;
    }

    Transition<D> start(UUID sagaId, D data, Instant now) {
        SagaInstance<D> fresh = new SagaInstance<>(sagaId, definition.type(), SagaState.RUNNING, 0, data, null, 0, null, 0);
        return advance(fresh, 0, data, now, new ArrayList<>());
    }

    Transition<D> onReply(SagaInstance<D> instance, SagaReply reply, Instant now) {
        if (instance.state() != SagaState.WAITING && instance.state() != SagaState.CANCELLING) {
            return unchanged(instance, "reply " + reply.outcome() + " to " + reply.step() + " ignored: saga is " + instance.state());
        }
        Step<D> awaited = definition.step(instance.step());
        if (!awaited.name().equals(reply.step())) {
            return unchanged(instance, "reply to " + reply.step() + " ignored: awaiting " + awaited.name());
        }
        if (reply.outcome().effectApplied()) {
            D data = ((Participant<D>) awaited).onSuccess().apply(instance.data(), reply.result());
            return advance(instance, instance.step() + 1, data, now, new ArrayList<>());
        }
        SagaState end = reply.outcome() == SagaOutcome.CANCELLED ? SagaState.CANCELLED : SagaState.FAILED;
        String reason = reply.reason() != null ? reply.reason() : reply.outcome().name().toLowerCase();
        return compensate(instance, end, reason);
    }

    /** A deadline passed: Cancel goes out (again, while unanswered); nothing is released. */
    Transition<D> onDeadline(SagaInstance<D> instance, Instant now) {
        boolean due = instance.deadline() != null && !instance.deadline().isAfter(now);
        if (!due || (instance.state() != SagaState.WAITING && instance.state() != SagaState.CANCELLING)) {
            return unchanged(instance, "no deadline due");
        }
        return sendCancel(instance, now);
    }

    /** Operator: send the awaited command again with the same (sagaId, step), or the Cancel again. */
    Transition<D> retry(SagaInstance<D> instance, Instant now) {
        return switch (instance.state()) {
            case WAITING -> {
                Participant<D> step = (Participant<D>) definition.step(instance.step());
                yield new Transition<>(instance.with(SagaState.WAITING, instance.step(), instance.data(),
                        now.plus(step.deadline()), instance.cancelAttempts(), null),
                        List.of(new Send(step.command().create(instance.id(), step.name(), instance.data()))), null);
            }
            case CANCELLING -> sendCancel(instance, now);
            default -> unchanged(instance, "nothing to retry: saga is " + instance.state());
        };
    }

    /** Operator: start the cancel protocol now instead of at the deadline. */
    Transition<D> forceCancel(SagaInstance<D> instance, Instant now) {
        if (instance.state() != SagaState.WAITING && instance.state() != SagaState.CANCELLING) {
            return unchanged(instance, "nothing to cancel: saga is " + instance.state());
        }
        return sendCancel(instance, now);
    }

    /**
     * Performs a transition's actions in order: local steps and compensations run here (in the
     * caller's transaction), commands go to {@code send}.
     */
    void perform(Transition<D> transition, java.util.function.Consumer<SagaCommand> send) {
        UUID sagaId = transition.next().id();
        D data = transition.next().data();
        for (Action action : transition.actions()) {
            switch (action) {
                case Invoke invoke -> local(invoke.step()).action().run(sagaId, data);
                case Compensate compensate -> local(compensate.step()).compensation().run(sagaId, data);
                case Send out -> send.accept(out.command());
            }
        }
    }

    private Local<D> local(String name) {
        return definition.steps().stream().filter(s -> s.name().equals(name)).map(s -> (Local<D>) s).findFirst()
                .orElseThrow();
    }

    private Transition<D> sendCancel(SagaInstance<D> instance, Instant now) {
        Participant<D> step = (Participant<D>) definition.step(instance.step());
        CancelStep cancel = new CancelStep(instance.id(), step.name(), step.commandType());
        return new Transition<>(instance.with(SagaState.CANCELLING, instance.step(), instance.data(), now.plus(cancelRetry),
                instance.cancelAttempts() + 1, null), List.of(new Send(cancel)), null);
    }

    private Transition<D> advance(SagaInstance<D> instance, int from, D data, Instant now, List<Action> actions) {
        for (int i = from; i < definition.steps().size(); i++) {
            Step<D> step = definition.step(i);
            switch (step) {
                case Local<D> local -> actions.add(new Invoke(local.name()));
                case Participant<D> participant -> {
                    actions.add(new Send(participant.command().create(instance.id(), participant.name(), data)));
                    return new Transition<>(instance.with(SagaState.WAITING, i, data, now.plus(participant.deadline()), 0,
                            null), actions, null);
                }
            }
        }
        return new Transition<>(instance.with(SagaState.COMPLETED, definition.steps().size(), data, null, 0, null),
                actions, null);
    }

    private Transition<D> compensate(SagaInstance<D> instance, SagaState end, String reason) {
        List<Action> actions = new ArrayList<>();
        for (int i = instance.step() - 1; i >= 0; i--) {
            if (definition.step(i) instanceof Local<D> local && local.compensable()) {
                actions.add(new Compensate(local.name(), local.compensationName()));
            }
        }
        return new Transition<>(instance.with(end, instance.step(), instance.data(), null, instance.cancelAttempts(), reason),
                actions, null);
    }

    private Transition<D> unchanged(SagaInstance<D> instance, String note) {
        return new Transition<>(instance, List.of(), note);
    }
}
