package dev.bulwark.events.saga;

import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * A command the economy's saga orchestrator sends to a participant. A participant handles each
 * (sagaId, step) at most once, records its outcome in the same transaction as its effect and
 * its reply, and answers a repeat with the recorded reply.
 */
public interface SagaCommand extends Payload {

    UUID sagaId();

    String step();
}
