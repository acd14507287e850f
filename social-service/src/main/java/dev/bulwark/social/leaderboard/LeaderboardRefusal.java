package dev.bulwark.social.leaderboard;

import dev.bulwark.platform.refusal.Refusal;

/** Why a leaderboard action was refused; the web edge turns it into a problem. */
public final class LeaderboardRefusal extends Refusal {

    public enum Reason {
        /** The board, or the player's record on it, does not exist. */
        NOT_FOUND,
        /** A board id, reset schedule, cursor or period that cannot be one. */
        INVALID_LEADERBOARD,
        /** A score outside the range, or a negative amount for an increment or decrement. */
        INVALID_SCORE,
        /** The operator would take the stored score out of the range. */
        SCORE_OUT_OF_RANGE,
        /** Another board with this id and a different definition exists. */
        LEADERBOARD_EXISTS,
        INVALID_IDEMPOTENCY_KEY,
        IDEMPOTENCY_KEY_REUSED
    }

    private final Reason reason;

    LeaderboardRefusal(Reason reason, String detail) {
        super(reason, detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    static LeaderboardRefusal notFound(String what) {
        return new LeaderboardRefusal(Reason.NOT_FOUND, what + " not found");
    }

    static LeaderboardRefusal invalid(String detail) {
        return new LeaderboardRefusal(Reason.INVALID_LEADERBOARD, detail);
    }
}
