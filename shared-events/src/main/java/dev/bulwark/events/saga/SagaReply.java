package dev.bulwark.events.saga;

import java.util.Map;
import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * A participant's answer to a step, sent on {@code economy.saga-replies}.
 *
 * @param reason why it failed, for {@link SagaOutcome#FAILED}; otherwise null
 * @param result what the effect produced (e.g. {@code guildId}); may be empty
 */
public record SagaReply(UUID sagaId, String step, SagaOutcome outcome, String reason, Map<String, String> result)
        implements Payload {

    public SagaReply {
        result = result == null ? Map.of() : Map.copyOf(result);
    }
}
