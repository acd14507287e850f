package dev.bulwark.events.saga;

/** How a participant answered a step. */
public enum SagaOutcome {
    /** The effect happened now. */
    SUCCEEDED,
    /** The effect did not and will not happen; {@link SagaReply#reason()} says why. */
    FAILED,
    /** A cancel arrived first: the effect did not and will not happen. */
    CANCELLED,
    /** A cancel arrived after the effect: it happened and stays. */
    ALREADY_DONE;

    /** Whether the effect is in place, which is what lets the orchestrator capture the funds. */
    public boolean effectApplied() {
        return this == SUCCEEDED || this == ALREADY_DONE;
    }
}
