package dev.bulwark.events.saga;

import java.util.UUID;

/**
 * Sent when a step's deadline passes. The participant answers {@link SagaOutcome#CANCELLED}
 * (and refuses the command should it arrive later) or {@link SagaOutcome#ALREADY_DONE}.
 *
 * @param cancels the logical type id of the command being cancelled; the cancel travels on
 *                that command's topic so the participant sees both on one partition
 */
public record CancelStep(UUID sagaId, String step, String cancels) implements SagaCommand {
}
