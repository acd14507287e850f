package dev.bulwark.events;

/**
 * The body of a message that crosses a service line: an event (past tense), a saga command
 * or a saga reply. Each implementation is registered once in {@link MessageType}, which gives
 * it a logical type id, so that consumers never depend on producer class names.
 */
public interface Payload {
}
