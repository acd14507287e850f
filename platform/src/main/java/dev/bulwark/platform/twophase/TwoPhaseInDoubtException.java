package dev.bulwark.platform.twophase;

/**
 * The coordinator lost its database while committing the decision, so it cannot tell whether the
 * decision committed. Every participant is prepared; recovery finishes them the one way the
 * decision log says (commit if the decision row exists, roll back if not). The caller must not
 * retry with a new transaction as if this one failed: it answers "pending" or retries the same
 * idempotent request later, when the outcome is known.
 */
public class TwoPhaseInDoubtException extends RuntimeException {

    private final String transactionId;

    TwoPhaseInDoubtException(String transactionId, Throwable cause) {
        super("The decision of " + transactionId + " may or may not have committed; recovery resolves it", cause);
        this.transactionId = transactionId;
    }

    public String transactionId() {
        return transactionId;
    }
}
