package dev.bulwark.economy.saga;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import dev.bulwark.economy.saga.SagaMachine.Action;
import dev.bulwark.economy.saga.SagaMachine.Compensate;
import dev.bulwark.economy.saga.SagaMachine.Invoke;
import dev.bulwark.economy.saga.SagaMachine.Send;
import dev.bulwark.economy.saga.SagaMachine.Transition;
import dev.bulwark.events.MessageType;
import dev.bulwark.events.saga.SagaReply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Runs sagas: each event (start, reply, deadline, operator request) locks the saga row, asks the
 * {@link SagaMachine} for the transition, performs its local steps, sends its commands through
 * the outbox and stores the new state with the step log — all in one transaction. A crash at any
 * point leaves either the old state with nothing sent, or the new state with its commands in the
 * outbox; a redelivered reply finds the saga already past that step and is ignored.
 */
@Service
public class SagaOrchestrator {

    private static final Logger log = LoggerFactory.getLogger(SagaOrchestrator.class);

    private final Map<String, SagaMachine<?>> machines;
    private final SagaStore store;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ApplicationEventPublisher events;

    SagaOrchestrator(List<SagaDefinition<?>> definitions, SagaProperties properties, SagaStore store,
            Clock clock, MeterRegistry meters, ApplicationEventPublisher events) {
        this.events = events;
        this.machines = definitions.stream().collect(Collectors.toUnmodifiableMap(SagaDefinition::type,
                d -> new SagaMachine<>(d, properties.cancelRetry())));
        this.store = store;
        this.clock = clock;
        this.meters = meters;
        machines.keySet().forEach(type -> Gauge.builder("bulwark.sagas.stuck", () -> store.stuck(type, clock.instant()))
                .description("Sagas past their deadline: the participant is slow or unreachable and has not answered "
                        + "the Cancel; their funds stay held")
                .tag("saga", type)
                .register(meters));
    }

    /** Whether a saga of this type is defined (a paid action's saga type is its offer id). */
    public boolean runs(String type) {
        return machines.containsKey(type);
    }

    /** Starts a saga in the caller's transaction on the buyer's shard (e.g. with the purchase that pays for it). */
    public <D> void start(String type, UUID sagaId, UUID playerId, D data) {
        SagaMachine<D> machine = machine(type);
        Instant now = clock.instant();
        Transition<D> transition = machine.start(sagaId, data, now);
        store.insert(transition.next(), playerId, now);
        perform(machine, transition, playerId, now);
        store.update(transition.next(), playerId, now);
        events.publishEvent(new SagaStarted(sagaId, type, playerId));
    }

    /** In the caller's transaction on the saga's shard (the reply's inbox transaction). */
    public void onReply(SagaReply reply) {
        Optional<SagaStore.Row> row = store.lock(reply.sagaId());
        if (row.isEmpty()) {
            log.warn("Reply {} to {} for unknown saga {}", reply.outcome(), reply.step(), reply.sagaId());
            return;
        }
        advance(row.get(), (machine, instance) -> machine.onReply(instance, reply, clock.instant()),
                "reply " + reply.outcome(), reply.step(), reply.reason());
    }

    public void onDeadline(UUID sagaId) {
        store.shardOf(sagaId).inTransaction(() -> store.lock(sagaId).ifPresent(row -> advance(row,
                (machine, instance) -> machine.onDeadline(instance, clock.instant()), null, null, null)));
    }

    /** Operator: send the awaited command (or the Cancel) again, with the same (sagaId, step); empty if no such saga. */
    public Optional<SagaView> retry(UUID sagaId) {
        return store.shardOf(sagaId).inTransaction(() -> store.lock(sagaId).flatMap(row -> {
            advance(row, (machine, instance) -> machine.retry(instance, clock.instant()), "operator retry", null, null);
            return view(sagaId);
        }));
    }

    /** Operator: start the cancel protocol now. The funds are released only if the participant confirms. */
    public Optional<SagaView> forceCancel(UUID sagaId) {
        return store.shardOf(sagaId).inTransaction(() -> store.lock(sagaId).flatMap(row -> {
            advance(row, (machine, instance) -> machine.forceCancel(instance, clock.instant()), "operator cancel", null, null);
            return view(sagaId);
        }));
    }

    public Optional<SagaView> view(UUID sagaId) {
        return store.find(sagaId).map(this::view);
    }

    public List<SagaView> list(Optional<SagaState> state, int limit) {
        return store.list(state, limit).stream().map(this::view).toList();
    }

    /** What operators see; also for a parked saga whose type is gone or whose data no longer decodes. */
    private SagaView view(SagaStore.Row row) {
        SagaMachine<?> machine = machines.get(row.type());
        Map<String, String> result = Map.of();
        String step = null;
        if (machine != null) {
            step = row.step() < machine.definition().steps().size() ? machine.definition().step(row.step()).name() : null;
            try {
                result = row.instance(machine.definition().dataType()).data() instanceof ParticipantResults results ? results.result() : Map.of();
            } catch (RuntimeException undecodable) {
                log.debug("Saga {} data does not decode: {}", row.id(), undecodable.toString());
            }
        }
        return new SagaView(row.id(), row.type(), row.playerId(), row.state(), step, row.deadline(), row.cancelAttempts(),
                row.reason(), result, row.createdAt(), row.updatedAt(),
                store.log(row.playerId(), row.id()).stream()
                        .map(e -> new SagaView.StepView(e.step(), e.action(), e.detail(), e.at())).toList());
    }

    private <D> void advance(SagaStore.Row row, BiFunction<SagaMachine<D>, SagaInstance<D>, Transition<D>> event,
            String received, String step, String detail) {
        SagaMachine<D> machine = machine(row.type());
        SagaInstance<D> instance = row.instance(machine.definition().dataType());
        Transition<D> transition = event.apply(machine, instance);
        Instant now = clock.instant();
        if (transition.ignored()) {
            log.debug("Saga {}: {}", row.id(), transition.note());
            return;
        }
        if (received != null) {
            store.log(row.playerId(), row.id(), step != null ? step : machine.definition().step(instance.step()).name(), received, detail, now);
        }
        perform(machine, transition, row.playerId(), now);
        store.update(transition.next(), row.playerId(), now);
        if (transition.next().state().finished()) {
            log.info("Saga {} ({}) for player {}: {}{}", row.id(), row.type(), row.playerId(),
                    transition.next().state(), transition.next().reason() == null ? "" : " (" + transition.next().reason() + ")");
            events.publishEvent(new SagaFinished(row.id(), row.type(), row.playerId(), transition.next().state(),
                    transition.next().reason()));
            Counter.builder("bulwark.saga.outcomes").tag("saga", row.type())
                    .tag("outcome", transition.next().state().name()).register(meters).increment();
        }
    }

    private <D> void perform(SagaMachine<D> machine, Transition<D> transition, UUID playerId, Instant now) {
        UUID sagaId = transition.next().id();
        machine.perform(transition, command -> store.outbox(playerId).publishUnordered(command, sagaId.toString()));
        for (Action action : transition.actions()) {
            switch (action) {
                case Invoke invoke -> store.log(playerId, sagaId, invoke.step(), "done", null, now);
                case Compensate compensate -> store.log(playerId, sagaId, compensate.step(), compensate.compensation(), null, now);
                case Send send -> store.log(playerId, sagaId, send.command().step(),
                        "sent " + MessageType.of(send.command().getClass()).id(), null, now);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private <D> SagaMachine<D> machine(String type) {
        SagaMachine<?> machine = machines.get(type);
        if (machine == null) {
            throw new IllegalArgumentException("No saga of type " + type);
        }
        return (SagaMachine<D>) machine;
    }
}
