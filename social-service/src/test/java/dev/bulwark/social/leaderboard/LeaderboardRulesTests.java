package dev.bulwark.social.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.bulwark.social.leaderboard.LeaderboardRefusal.Reason;
import dev.bulwark.social.leaderboard.LeaderboardRules.Board;
import dev.bulwark.social.leaderboard.LeaderboardRules.Operator;
import dev.bulwark.social.leaderboard.LeaderboardRules.SortOrder;

/** The leaderboard rules without a database. */
class LeaderboardRulesTests {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private static Board board(SortOrder order, Operator operator) {
        return new Board("b", order, operator, null);
    }

    @Test
    void bestKeepsTheBetterScoreByTheBoardsOrder() {
        assertThat(LeaderboardRules.apply(board(SortOrder.DESC, Operator.BEST), 10L, 7)).isEqualTo(10);
        assertThat(LeaderboardRules.apply(board(SortOrder.DESC, Operator.BEST), 10L, 12)).isEqualTo(12);
        assertThat(LeaderboardRules.apply(board(SortOrder.ASC, Operator.BEST), 10L, 7)).isEqualTo(7);
        assertThat(LeaderboardRules.apply(board(SortOrder.ASC, Operator.BEST), 10L, 12)).isEqualTo(10);
        assertThat(LeaderboardRules.apply(board(SortOrder.ASC, Operator.BEST), null, -3)).isEqualTo(-3);
    }

    @Test
    void setReplacesAndIncrementAndDecrementStartFromZero() {
        assertThat(LeaderboardRules.apply(board(SortOrder.DESC, Operator.SET), 10L, 3)).isEqualTo(3);
        assertThat(LeaderboardRules.apply(board(SortOrder.DESC, Operator.INCREMENT), null, 3)).isEqualTo(3);
        assertThat(LeaderboardRules.apply(board(SortOrder.DESC, Operator.INCREMENT), 4L, 3)).isEqualTo(7);
        assertThat(LeaderboardRules.apply(board(SortOrder.DESC, Operator.DECREMENT), null, 3)).isEqualTo(-3);
        assertThat(LeaderboardRules.apply(board(SortOrder.DESC, Operator.DECREMENT), 4L, 3)).isEqualTo(1);
    }

    @Test
    void negativeAmountsAndScoresOutOfRangeAreRefused() {
        assertThatThrownBy(() -> LeaderboardRules.apply(board(SortOrder.DESC, Operator.INCREMENT), 4L, -1))
                .isInstanceOfSatisfying(LeaderboardRefusal.class, r -> assertThat(r.reason()).isEqualTo(Reason.INVALID_SCORE));
        assertThatThrownBy(() -> LeaderboardRules.apply(board(SortOrder.DESC, Operator.SET), null, Long.MIN_VALUE))
                .isInstanceOfSatisfying(LeaderboardRefusal.class, r -> assertThat(r.reason()).isEqualTo(Reason.INVALID_SCORE));
        assertThatThrownBy(() -> LeaderboardRules.apply(board(SortOrder.DESC, Operator.INCREMENT),
                LeaderboardRules.MAX_SCORE, 1))
                .isInstanceOfSatisfying(LeaderboardRefusal.class, r -> assertThat(r.reason()).isEqualTo(Reason.SCORE_OUT_OF_RANGE));
    }

    @Test
    void idsWithControlCharactersSpacesOrOtherSymbolsAreRefused() {
        assertThat(LeaderboardRules.checkId("weekly.kills:eu-1")).isEqualTo("weekly.kills:eu-1");
        for (String bad : new String[] { "", "a\u0000b", "a\u0007", "tab\there", "a b", "-lead", "a/b", "é", "x".repeat(65) }) {
            assertThatThrownBy(() -> LeaderboardRules.checkId(bad)).as(bad)
                    .isInstanceOfSatisfying(LeaderboardRefusal.class, r -> assertThat(r.reason()).isEqualTo(Reason.INVALID_LEADERBOARD));
        }
    }

    @Test
    void schedulesMustBeCronExpressionsThatFire() {
        assertThatThrownBy(() -> LeaderboardRules.define("b", SortOrder.DESC, Operator.BEST, "weekly", NOW))
                .isInstanceOf(LeaderboardRefusal.class);
        assertThatThrownBy(() -> LeaderboardRules.define("b", SortOrder.DESC, Operator.BEST, "0 0 0 30 2 *", NOW))
                .isInstanceOf(LeaderboardRefusal.class);
        assertThat(LeaderboardRules.define("b", SortOrder.DESC, Operator.BEST, "0 0 0 * * MON", NOW).resetSchedule())
                .isEqualTo("0 0 0 * * MON");
    }

    @Test
    void aPeriodEndsAtTheNextResetAndTheResetInstantOpensTheNextPeriod() {
        Board weekly = new Board("w", SortOrder.DESC, Operator.BEST, "0 0 0 * * MON");
        long monday = Instant.parse("2026-12-07T00:00:00Z").getEpochSecond();
        assertThat(LeaderboardRules.periodEnd(weekly, Instant.parse("2026-12-01T00:00:00Z"))).isEqualTo(monday);
        assertThat(LeaderboardRules.periodEnd(weekly, Instant.parse("2026-12-06T23:59:59.999999Z"))).isEqualTo(monday);
        assertThat(LeaderboardRules.periodEnd(weekly, Instant.parse("2026-12-07T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-12-14T00:00:00Z").getEpochSecond());
        assertThat(LeaderboardRules.periodEnd(board(SortOrder.DESC, Operator.BEST), NOW)).isEqualTo(LeaderboardRules.FOREVER);
    }
}
