package dev.bulwark.platform.twophase;

/**
 * The global transaction did not commit anywhere: a participant's work failed, or a participant
 * could not prepare, before the decision was made. Every participant rolled back (or, where its
 * server could not be reached, recovery rolls it back), so the caller may retry if
 * {@link #retryable()}.
 */
public class TwoPhaseAbortedException extends RuntimeException {

    private final boolean retryable;

    TwoPhaseAbortedException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /**
     * Whether the failure was transient: a lock timeout (two transactions waiting on each other
     * across servers, which PostgreSQL cannot see), a deadlock or serialization failure on one
     * server, or a lost connection.
     */
    public boolean retryable() {
        return retryable;
    }
}
