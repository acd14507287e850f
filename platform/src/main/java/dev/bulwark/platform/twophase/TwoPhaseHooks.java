package dev.bulwark.platform.twophase;

/**
 * Called by the coordinator at the named points of the protocol, for crash drills: an
 * implementation that halts the process (or, in a test, throws an {@link Error} after cutting the
 * connections) at a point shows what recovery makes of a coordinator that died there. The
 * production default does nothing.
 */
@FunctionalInterface
public interface TwoPhaseHooks {

    /** The points of one global transaction, in protocol order. */
    enum Point {
        /** The first participant prepared; the others did their work but have not prepared. */
        AFTER_FIRST_PREPARE("2pc-after-first-prepare"),
        /** Every participant prepared and the decision row is written, not yet committed. */
        BEFORE_DECISION("2pc-before-decision"),
        /** The decision committed; no participant has committed. */
        AFTER_DECISION("2pc-after-decision"),
        /** The first participant committed; the others are still prepared. */
        AFTER_FIRST_COMMIT("2pc-after-first-commit");

        private final String id;

        Point(String id) {
            this.id = id;
        }

        /** The point's name in crash-drill configuration. */
        public String id() {
            return id;
        }
    }

    TwoPhaseHooks NONE = (point, transactionId) -> {
    };

    void reached(Point point, String transactionId);
}
