package dev.bulwark.platform.saga;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.MessageType;
import dev.bulwark.events.Payload;
import dev.bulwark.events.saga.CancelStep;
import dev.bulwark.events.saga.SagaCommand;
import dev.bulwark.events.saga.SagaOutcome;
import dev.bulwark.events.saga.SagaReply;
import dev.bulwark.platform.messaging.MessageTracing;
import dev.bulwark.platform.messaging.Outbox;
import tools.jackson.core.type.TypeReference;

/**
 * The participant's side of the saga protocol (docs/architecture.md §3). Each (sagaId, step) is
 * decided once: the effect, the record of its outcome and the reply (through the outbox) commit
 * in one transaction. A repeated command is answered with the recorded reply and no second
 * effect. A {@link CancelStep} that arrives first leaves a CANCELLED record, so the command is
 * refused should it arrive later; one that arrives after the effect is answered ALREADY_DONE.
 *
 * <p>An effect refuses with {@link Decision#failed(String)} before it writes anything. If it
 * throws instead (a unique-index race, a lost connection), the transaction rolls back and the
 * message is redelivered, when the effect decides again on fresh data.
 */
public class SagaParticipant {

    /** What an effect decided. */
    public record Decision(SagaOutcome outcome, String reason, Map<String, String> result) {

        public static Decision succeeded(Map<String, String> result) {
            return new Decision(SagaOutcome.SUCCEEDED, null, result);
        }

        public static Decision failed(String reason) {
            return new Decision(SagaOutcome.FAILED, reason, Map.of());
        }
    }

    private record Recorded(SagaOutcome outcome, String reason, Map<String, String> result) {
    }

    private static final Logger log = LoggerFactory.getLogger(SagaParticipant.class);

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final MessageTracing tracing;

    public SagaParticipant(JdbcClient jdbc, Outbox outbox, MessageTracing tracing) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.tracing = tracing;
    }

    /**
     * Handles a message from a commands topic: a {@link CancelStep} runs the cancel protocol,
     * any other {@link SagaCommand} runs {@code effect} at most once. Messages that are not saga
     * commands are ignored. The effect and the reply continue the command's trace.
     */
    @Transactional(propagation = Propagation.REQUIRED)
    public Optional<SagaReply> receive(Envelope envelope, Function<SagaCommand, Decision> effect) {
        Payload payload = Contracts.payload(envelope);
        return tracing.handle("saga-participant", envelope, () -> switch (payload) {
            case CancelStep cancel -> Optional.of(cancel(cancel));
            case SagaCommand command -> Optional.of(handle(command, effect));
            default -> {
                log.warn("Ignoring {} on a commands topic", envelope.type());
                yield Optional.<SagaReply>empty();
            }
        });
    }

    @Transactional(propagation = Propagation.REQUIRED)
    public <C extends SagaCommand> SagaReply handle(C command, Function<? super C, Decision> effect) {
        lock(command);
        Optional<Recorded> recorded = recorded(command);
        if (recorded.isPresent()) {
            Recorded r = recorded.get();
            log.debug("Repeated {} {}/{}: answering {}", command.getClass().getSimpleName(),
                    command.sagaId(), command.step(), r.outcome());
            return reply(command, r.outcome(), r.reason(), r.result());
        }
        Decision decision = effect.apply(command);
        if (decision.outcome() != SagaOutcome.SUCCEEDED && decision.outcome() != SagaOutcome.FAILED) {
            throw new IllegalArgumentException("An effect succeeds or fails, not " + decision.outcome());
        }
        record(command, MessageType.of(command.getClass()).id(), decision.outcome(), decision.reason(),
                decision.result());
        log.info("Saga {} step {}: {} {}{}", command.sagaId(), command.step(), command.getClass().getSimpleName(),
                decision.outcome(), decision.reason() == null ? "" : " (" + decision.reason() + ")");
        return reply(command, decision.outcome(), decision.reason(), decision.result());
    }

    @Transactional(propagation = Propagation.REQUIRED)
    public SagaReply cancel(CancelStep cancel) {
        lock(cancel);
        Optional<Recorded> recorded = recorded(cancel);
        if (recorded.isEmpty()) {
            record(cancel, cancel.cancels(), SagaOutcome.CANCELLED, "cancelled before the command arrived", Map.of());
            return reply(cancel, SagaOutcome.CANCELLED, null, Map.of());
        }
        Recorded r = recorded.get();
        if (r.outcome().effectApplied()) {
            return reply(cancel, SagaOutcome.ALREADY_DONE, null, r.result());
        }
        return reply(cancel, SagaOutcome.CANCELLED, r.reason(), Map.of());
    }

    /** Serialises the deliveries of one step, including a command racing its own Cancel. */
    private void lock(SagaCommand command) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", "saga-step:" + command.sagaId() + "/" + command.step())
                .query(Object.class).single();
    }

    private Optional<Recorded> recorded(SagaCommand command) {
        return jdbc.sql("SELECT outcome, reason, result::text AS result FROM saga_participation WHERE saga_id = :saga AND step = :step")
                .param("saga", command.sagaId()).param("step", command.step())
                .query((rs, n) -> new Recorded(SagaOutcome.valueOf(rs.getString("outcome")), rs.getString("reason"),
                        Contracts.MAPPER.readValue(rs.getString("result"), new TypeReference<Map<String, String>>() {
                        })))
                .optional();
    }

    private void record(SagaCommand command, String commandType, SagaOutcome outcome, String reason,
            Map<String, String> result) {
        jdbc.sql("""
                INSERT INTO saga_participation (saga_id, step, command_type, outcome, reason, result)
                VALUES (:saga, :step, :type, :outcome, :reason, CAST(:result AS jsonb))""")
                .param("saga", command.sagaId()).param("step", command.step()).param("type", commandType)
                .param("outcome", outcome.name()).param("reason", reason)
                .param("result", Contracts.MAPPER.writeValueAsString(result == null ? Map.of() : result))
                .update();
    }

    private SagaReply reply(SagaCommand command, SagaOutcome outcome, String reason, Map<String, String> result) {
        SagaReply reply = new SagaReply(command.sagaId(), command.step(), outcome, reason, result);
        outbox.publishUnordered(reply, command.sagaId().toString());
        return reply;
    }
}
