package dev.bulwark.social.leaderboard;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Pattern;

import org.springframework.scheduling.support.CronExpression;

/**
 * The leaderboard rules apart from storage: which ids and schedules a board may have, which
 * period an instant falls in, what an operator makes of the stored score, and the order records
 * rank in.
 */
final class LeaderboardRules {

    /** Scores are exact integers a JSON client can hold without loss (JavaScript's safe range). */
    static final long MAX_SCORE = (1L << 53) - 1;

    /** The period of a board that never resets. */
    static final long FOREVER = 0;

    /** Printable ASCII without spaces: no NUL or other control characters reach SQL, logs or paths. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    enum SortOrder {
        /** Higher scores rank first. */
        DESC,
        /** Lower scores rank first (times, for instance). */
        ASC
    }

    enum Operator {
        /** Keeps the better of the stored and the new score (by the board's order). */
        BEST,
        /** Replaces the stored score. */
        SET,
        /** Adds a non-negative amount (the first record starts from 0). */
        INCREMENT,
        /** Subtracts a non-negative amount (the first record starts from 0). */
        DECREMENT
    }

    /** A board's definition; {@code resetSchedule} null: it never resets. */
    record Board(String leaderboardId, SortOrder sortOrder, Operator operator, String resetSchedule) {
    }

    private LeaderboardRules() {
    }

    static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw LeaderboardRefusal.invalid("A leaderboard id is 1 to 64 letters, digits or . _ : - (starting with a "
                    + "letter or digit); control characters and spaces are refused");
        }
        return id;
    }

    /** A board as defined, refusing a bad id or a schedule that is not a cron expression that ever fires. */
    static Board define(String id, SortOrder sortOrder, Operator operator, String resetSchedule, Instant now) {
        checkId(id);
        if (resetSchedule != null) {
            if (!CronExpression.isValidExpression(resetSchedule)) {
                throw LeaderboardRefusal.invalid("resetSchedule is not a cron expression (six fields: second minute "
                        + "hour day-of-month month day-of-week, in UTC), e.g. \"0 0 0 * * MON\"");
            }
            if (CronExpression.parse(resetSchedule).next(ZonedDateTime.ofInstant(now, ZoneOffset.UTC)) == null) {
                throw LeaderboardRefusal.invalid("resetSchedule never fires");
            }
        }
        return new Board(id, sortOrder, operator, resetSchedule);
    }

    /**
     * The period {@code at} falls in, named by the epoch second of the reset that ends it: the
     * schedule's first fire time strictly after {@code at}. A reset instant itself opens the next
     * period. {@link #FOREVER} on a board that never resets.
     */
    static long periodEnd(Board board, Instant at) {
        if (board.resetSchedule() == null) {
            return FOREVER;
        }
        ZonedDateTime next = CronExpression.parse(board.resetSchedule()).next(ZonedDateTime.ofInstant(at, ZoneOffset.UTC));
        if (next == null) {
            throw LeaderboardRefusal.invalid("The board's schedule fires no more");
        }
        return next.toEpochSecond();
    }

    /** When the period ends, for answers: null when it never does. */
    static Instant endsAt(long periodEnd) {
        return periodEnd == FOREVER ? null : Instant.ofEpochSecond(periodEnd);
    }

    /**
     * The score to store after {@code value} is written over {@code stored} (null: no record yet);
     * {@code stored} itself when the write changes nothing (a BEST that is not better).
     */
    static long apply(Board board, Long stored, long value) {
        boolean amount = board.operator() == Operator.INCREMENT || board.operator() == Operator.DECREMENT;
        if (amount ? value < 0 || value > MAX_SCORE : value < -MAX_SCORE || value > MAX_SCORE) {
            throw new LeaderboardRefusal(LeaderboardRefusal.Reason.INVALID_SCORE, amount
                    ? "An " + board.operator() + " amount is 0 to " + MAX_SCORE
                    : "A score is between -" + MAX_SCORE + " and " + MAX_SCORE);
        }
        long base = stored == null ? 0 : stored;
        long result = switch (board.operator()) {
            case SET -> value;
            case BEST -> stored == null || sortKey(board, value) < sortKey(board, stored) ? value : stored;
            case INCREMENT -> base + value;
            case DECREMENT -> base - value;
        };
        if (result < -MAX_SCORE || result > MAX_SCORE) {
            throw new LeaderboardRefusal(LeaderboardRefusal.Reason.SCORE_OUT_OF_RANGE,
                    "The score would leave the range -" + MAX_SCORE + " to " + MAX_SCORE);
        }
        return result;
    }

    /**
     * The score bucket of a sort key, in the key's order: the key itself below 512, then 256
     * buckets per power of two (a bucket spans at most 1/256 of its keys' magnitude), mirrored for
     * negative keys. A rank is the records of the better buckets plus those before it in its own
     * bucket; {@code leaderboard_bucket_of} in V7 is the same function in SQL.
     */
    static long bucket(long sortKey) {
        return sortKey < 0 ? -magnitudeBucket(-sortKey - 1) - 1 : magnitudeBucket(sortKey);
    }

    /** The smallest sort key in {@code bucket}. */
    static long bucketStart(long bucket) {
        return bucket < 0 ? -magnitudeStart(-bucket) : magnitudeStart(bucket);
    }

    private static final int SUB_BUCKETS = 256;
    private static final int SUB_BITS = 8;

    private static long magnitudeBucket(long v) {
        if (v < 2 * SUB_BUCKETS) {
            return v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS;
        return (long) shift * SUB_BUCKETS + (v >>> shift);
    }

    private static long magnitudeStart(long bucket) {
        if (bucket < 2 * SUB_BUCKETS) {
            return bucket;
        }
        long shift = bucket / SUB_BUCKETS - 1;
        return (bucket - shift * SUB_BUCKETS) << shift;
    }

    /** Better records have smaller keys: the index keeps every board's best first. */
    static long sortKey(Board board, long score) {
        return board.sortOrder() == SortOrder.DESC ? -score : score;
    }
}
