package dev.bulwark.social.leaderboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bulwark.social.leaderboard.LeaderboardRules.Board;
import dev.bulwark.social.leaderboard.LeaderboardRules.Operator;
import dev.bulwark.social.leaderboard.LeaderboardRules.SortOrder;

/**
 * Boards, score writes and ranked reads, all in PostgreSQL, which is the only copy: a rank is 1 +
 * the records before it, read as the sum of the better score buckets ({@code leaderboard_bucket},
 * counted in each write's transaction) plus a count inside the record's own bucket on the
 * {@code leaderboard_record_rank} index, so it is exact for the snapshot the read runs in whatever
 * is written meanwhile, and every replica answers alike without a cache to keep in step. A write
 * locks the player's record (the row, or the primary key while inserting it), so concurrent
 * writes for one player apply one after the other; writes for different players wait only on a
 * bucket row they share, for the rest of their transactions. Transactions are programmatic so
 * that a test can run this with a clock of its own.
 */
@Service
class Leaderboards {

    /** A record as read, with its rank in what was read (the board, or the player's friends). */
    record Ranked(UUID playerId, String displayName, long score, long rank) {

        Ranked at(long rank) {
            return new Ranked(playerId, displayName, score, rank);
        }
    }

    /** A page of records; {@code nextCursor} null on the last page, {@code periodEndsAt} null when the board never resets. */
    record Page(List<Ranked> records, String nextCursor, Instant periodEndsAt) {
    }

    /** What a score write answers, and a retry with its key answers again. */
    record Written(String leaderboardId, UUID playerId, long score, Instant periodEndsAt) {
    }

    /** Where a record stands in rank order: the last record of a page, or the player looked around. */
    private record Position(long sortKey, Instant updatedAt, UUID playerId) {
    }

    private record Row(Ranked ranked, Position position) {
    }

    /** A write's idempotency key is kept at least this long, as the contract promises for keys. */
    static final Duration KEY_RETENTION = Duration.ofDays(7);

    private static final String RECORDS = """
            SELECT r.player_id, k.display_name, r.score, r.sort_key, r.updated_at
            FROM leaderboard_record r LEFT JOIN known_player k ON k.player_id = r.player_id
            WHERE r.leaderboard_id = :board AND r.period_end = :period""";
    /** The player and their friends, from the friend module's table. */
    private static final String AMONG_FRIENDS = " AND (r.player_id = :friendsOf OR r.player_id IN"
            + " (SELECT other_id FROM friend_relation WHERE player_id = :friendsOf AND state = 'FRIEND'))";
    private static final String BEFORE = " AND (r.sort_key, r.updated_at, r.player_id) < (:key, :at, :player)";
    private static final String UP_TO = " AND (r.sort_key, r.updated_at, r.player_id) <= (:key, :at, :player)";
    private static final String AFTER = " AND (r.sort_key, r.updated_at, r.player_id) > (:key, :at, :player)";
    private static final String BEST_FIRST = " ORDER BY r.sort_key, r.updated_at, r.player_id LIMIT :limit";
    private static final String WORST_FIRST = " ORDER BY r.sort_key DESC, r.updated_at DESC, r.player_id DESC LIMIT :limit";
    /**
     * Around-me in one statement: the player's record (side 0) with its rank (the better buckets'
     * sum plus a count inside its own bucket) and up to {@code :limit} records on each side (side
     * -1 better, 1 worse), each side an index range from the player's position.
     */
    private static final String AROUND = """
            WITH m AS (SELECT player_id, score, sort_key, updated_at FROM leaderboard_record
                       WHERE leaderboard_id = :board AND period_end = :period AND player_id = :self),
            rank AS (SELECT 1 + (SELECT coalesce(sum(b.records), 0) FROM leaderboard_bucket b
                                 WHERE b.leaderboard_id = :board AND b.period_end = :period
                                   AND b.bucket < leaderboard_bucket_of(m.sort_key))
                       + (SELECT count(*) FROM leaderboard_record r
                          WHERE r.leaderboard_id = :board AND r.period_end = :period
                            AND r.sort_key >= leaderboard_bucket_start(leaderboard_bucket_of(m.sort_key))
                            AND (r.sort_key, r.updated_at, r.player_id) < (m.sort_key, m.updated_at, m.player_id)) AS rank
                     FROM m),
            sides AS (
              SELECT 0 AS side, m.player_id, m.score, m.sort_key, m.updated_at FROM m
              UNION ALL
              SELECT -1, b.player_id, b.score, b.sort_key, b.updated_at FROM m, LATERAL (
                SELECT r.player_id, r.score, r.sort_key, r.updated_at FROM leaderboard_record r
                WHERE r.leaderboard_id = :board AND r.period_end = :period
                  AND (r.sort_key, r.updated_at, r.player_id) < (m.sort_key, m.updated_at, m.player_id)
                ORDER BY r.sort_key DESC, r.updated_at DESC, r.player_id DESC LIMIT :limit) b
              UNION ALL
              SELECT 1, w.player_id, w.score, w.sort_key, w.updated_at FROM m, LATERAL (
                SELECT r.player_id, r.score, r.sort_key, r.updated_at FROM leaderboard_record r
                WHERE r.leaderboard_id = :board AND r.period_end = :period
                  AND (r.sort_key, r.updated_at, r.player_id) > (m.sort_key, m.updated_at, m.player_id)
                ORDER BY r.sort_key, r.updated_at, r.player_id LIMIT :limit) w)
            SELECT s.side, s.player_id, k.display_name, s.score, s.sort_key, s.updated_at, (SELECT rank FROM rank) AS rank
            FROM sides s LEFT JOIN known_player k ON k.player_id = s.player_id""";
    /** Rank order of positions in Java, as PostgreSQL orders them (uuids as unsigned bytes: as their text). */
    private static final Comparator<Position> POSITION_ORDER = Comparator.comparingLong(Position::sortKey)
            .thenComparing(Position::updatedAt).thenComparing(p -> p.playerId().toString());

    private record Sided(int side, Row row) {
    }

    private final JdbcClient jdbc;
    private final Map<String, Board> boards = new ConcurrentHashMap<>();
    private final TransactionTemplate writing;
    private final TransactionTemplate reading;
    private final Clock clock;

    Leaderboards(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.writing = new TransactionTemplate(transactions);
        // The rank count and the page are two statements: one snapshot makes them agree.
        this.reading = new TransactionTemplate(transactions);
        this.reading.setReadOnly(true);
        this.reading.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /**
     * Creates a board: true when created, false when one with this id and the same definition
     * exists (a retried creation); refused when one with another definition does.
     */
    boolean create(String id, SortOrder sortOrder, Operator operator, String resetSchedule, String createdBy) {
        Board board = LeaderboardRules.define(id, sortOrder, operator, resetSchedule, clock.instant());
        return Boolean.TRUE.equals(writing.execute(tx -> {
            int inserted = jdbc.sql("""
                    INSERT INTO leaderboard (leaderboard_id, sort_order, operator, reset_schedule, created_by, created_at)
                    VALUES (:id, :order, :operator, :schedule, :by, :now) ON CONFLICT (leaderboard_id) DO NOTHING""")
                    .param("id", id).param("order", sortOrder.name()).param("operator", operator.name())
                    .param("schedule", resetSchedule).param("by", createdBy).param("now", Timestamp.from(clock.instant()))
                    .update();
            if (inserted == 0 && !board.equals(find(id))) {
                throw new LeaderboardRefusal(LeaderboardRefusal.Reason.LEADERBOARD_EXISTS,
                        "A leaderboard " + id + " exists with another definition");
            }
            return inserted == 1;
        }));
    }

    /**
     * Writes a score once per (caller, board, key): the key is claimed in the write's own
     * transaction, so a retry (also a concurrent one, which waits on the claim) answers as the
     * first write did, the same key with another player or score is refused, and a refused write
     * leaves the key unclaimed.
     */
    Written write(String caller, String id, String key, UUID player, long score) {
        LeaderboardRules.checkId(id);
        if (key == null || key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new LeaderboardRefusal(LeaderboardRefusal.Reason.INVALID_IDEMPOTENCY_KEY,
                    "Idempotency-Key must be 1 to 255 visible ASCII characters");
        }
        String hash = hash(player + " " + score);
        return writing.execute(tx -> {
            Board board = find(id);
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            int claimed = jdbc.sql("""
                    INSERT INTO leaderboard_write (caller, leaderboard_id, idempotency_key, request_hash, player_id, created_at)
                    VALUES (:caller, :board, :key, :hash, :player, :now) ON CONFLICT DO NOTHING""")
                    .param("caller", caller).param("board", id).param("key", key).param("hash", hash)
                    .param("player", player).param("now", Timestamp.from(now)).update();
            if (claimed == 0) {
                return firstAnswer(caller, id, key, hash);
            }
            long period = LeaderboardRules.periodEnd(board, now);
            Stored stored = store(board, period, player, score, now);
            jdbc.sql("""
                    UPDATE leaderboard_write SET score = :score, period_end = :period
                    WHERE caller = :caller AND leaderboard_id = :board AND idempotency_key = :key""")
                    .param("score", stored.score()).param("period", period)
                    .param("caller", caller).param("board", id).param("key", key).update();
            // Last before the commit: a bucket row is shared by many writers, so its lock is held as briefly as can be.
            stored.countBuckets().run();
            return new Written(id, player, stored.score(), LeaderboardRules.endsAt(period));
        });
    }

    /** Applies the operator under the record's lock: the score stored, and its bucket counts to change before the commit. */
    /** The score stored, and the bucket counts still to change for it. */
    private record Stored(long score, Runnable countBuckets) {
    }

    private Stored store(Board board, long period, UUID player, long value, Instant now) {
        while (true) {
            Optional<Long> stored = jdbc.sql("""
                    SELECT score FROM leaderboard_record
                    WHERE leaderboard_id = :board AND period_end = :period AND player_id = :player FOR UPDATE""")
                    .param("board", board.leaderboardId()).param("period", period).param("player", player)
                    .query(Long.class).optional();
            long score = LeaderboardRules.apply(board, stored.orElse(null), value);
            if (stored.isPresent()) {
                if (score != stored.get()) {
                    long from = LeaderboardRules.sortKey(board, stored.get());
                    long to = LeaderboardRules.sortKey(board, score);
                    jdbc.sql("""
                            UPDATE leaderboard_record SET score = :score, sort_key = :key, updated_at = :now
                            WHERE leaderboard_id = :board AND period_end = :period AND player_id = :player""")
                            .param("score", score).param("key", LeaderboardRules.sortKey(board, score))
                            .param("now", Timestamp.from(now)).param("board", board.leaderboardId())
                            .param("period", period).param("player", player).update();
                    return new Stored(score, () -> move(board, period, from, to));
                }
                return new Stored(score, () -> { });
            }
            int inserted = jdbc.sql("""
                    INSERT INTO leaderboard_record (leaderboard_id, period_end, player_id, score, sort_key, updated_at)
                    VALUES (:board, :period, :player, :score, :key, :now) ON CONFLICT DO NOTHING""")
                    .param("board", board.leaderboardId()).param("period", period).param("player", player)
                    .param("score", score).param("key", LeaderboardRules.sortKey(board, score))
                    .param("now", Timestamp.from(now)).update();
            if (inserted == 1) {
                return new Stored(score,
                        () -> adjustBucket(board, period, LeaderboardRules.bucket(LeaderboardRules.sortKey(board, score)), 1));
            }
            // Another write inserted the player's first record meanwhile: apply over it, under its lock.
        }
    }

    /**
     * Moves a record's count from its old bucket to its new one. Bucket rows are locked in bucket
     * order, so two writes moving records between the same buckets in opposite directions wait
     * for each other instead of deadlocking.
     */
    private void move(Board board, long period, long fromKey, long toKey) {
        long from = LeaderboardRules.bucket(fromKey);
        long to = LeaderboardRules.bucket(toKey);
        if (from == to) {
            return;
        }
        adjustBucket(board, period, Math.min(from, to), from < to ? -1 : 1);
        adjustBucket(board, period, Math.max(from, to), from < to ? 1 : -1);
    }

    /** A record leaves a bucket (its row exists: the record was counted in it) or enters one. */
    private void adjustBucket(Board board, long period, long bucket, int delta) {
        // A plain UPDATE to leave: PostgreSQL checks an upsert's proposed row (records = -1) before the conflict.
        String sql = delta < 0
                ? """
                  UPDATE leaderboard_bucket SET records = records + :delta
                  WHERE leaderboard_id = :board AND period_end = :period AND bucket = :bucket"""
                : """
                  INSERT INTO leaderboard_bucket (leaderboard_id, period_end, bucket, records) VALUES (:board, :period, :bucket, :delta)
                  ON CONFLICT (leaderboard_id, period_end, bucket) DO UPDATE SET records = leaderboard_bucket.records + :delta""";
        jdbc.sql(sql).param("board", board.leaderboardId()).param("period", period).param("bucket", bucket)
                .param("delta", delta).update();
    }

    private Written firstAnswer(String caller, String id, String key, String hash) {
        return jdbc.sql("""
                SELECT request_hash, player_id, score, period_end FROM leaderboard_write
                WHERE caller = :caller AND leaderboard_id = :board AND idempotency_key = :key""")
                .param("caller", caller).param("board", id).param("key", key)
                .query((rs, n) -> {
                    if (!rs.getString("request_hash").equals(hash)) {
                        throw new LeaderboardRefusal(LeaderboardRefusal.Reason.IDEMPOTENCY_KEY_REUSED,
                                "This Idempotency-Key was used with another player or score");
                    }
                    return new Written(id, rs.getObject("player_id", UUID.class), rs.getLong("score"),
                            LeaderboardRules.endsAt(rs.getLong("period_end")));
                })
                .single();
    }

    /**
     * A page of the board in rank order, after {@code cursor} when given; only the player and
     * their friends (ranked among themselves) when {@code friendsOf} is given. {@code at} names
     * the period (any instant in it; now when null).
     */
    Page page(String id, Instant at, String cursor, int limit, UUID friendsOf) {
        LeaderboardRules.checkId(id);
        Position after = cursor == null ? null : decode(cursor);
        Board board = find(id);
        long period = LeaderboardRules.periodEnd(board, at == null ? clock.instant() : at);
        String among = friendsOf == null ? "" : AMONG_FRIENDS;
        Supplier<Page> read = () -> {
            long before = after == null ? 0 : count(id, period, among, friendsOf, UP_TO, after);
            List<Row> rows = rows(RECORDS + among + (after == null ? "" : AFTER) + BEST_FIRST, id, period, friendsOf,
                    after, limit, before + 1, 1);
            String next = rows.size() == limit ? encode(rows.getLast().position()) : null;
            return new Page(rows.stream().map(Row::ranked).toList(), next, LeaderboardRules.endsAt(period));
        };
        // The first page is one statement, a snapshot of its own: no transaction to open and close.
        return after == null ? read.get() : reading.execute(tx -> read.get());
    }

    /**
     * The player's record with up to {@code limit - 1} neighbours, about half better and the rest
     * worse (more on one side where the other runs out), in rank order.
     */
    Page around(String id, UUID player, Instant at, int limit) {
        LeaderboardRules.checkId(id);
        Board board = find(id);
        long period = LeaderboardRules.periodEnd(board, at == null ? clock.instant() : at);
        int neighbours = limit - 1;
        // One statement, so one snapshot without a transaction to open: the rank and both sides agree.
        List<Sided> rows = jdbc.sql(AROUND).param("board", id).param("period", period).param("self", player)
                .param("limit", neighbours)
                .query((rs, n) -> new Sided(rs.getInt("side"), row(rs, rs.getLong("rank")))).list();
        Row mine = rows.stream().filter(r -> r.side() == 0).map(Sided::row).findFirst()
                .orElseThrow(() -> LeaderboardRefusal.notFound("The player's record"));
        long rank = mine.ranked().rank();
        List<Row> better = rows.stream().filter(r -> r.side() < 0).map(Sided::row)
                .sorted(Comparator.comparing(Row::position, POSITION_ORDER).reversed()).toList();
        List<Row> worse = rows.stream().filter(r -> r.side() > 0).map(Sided::row)
                .sorted(Comparator.comparing(Row::position, POSITION_ORDER)).toList();
        int fromBetter = Math.min(better.size(), Math.max(neighbours / 2, neighbours - worse.size()));
        List<Ranked> around = new ArrayList<>(limit);
        for (int i = fromBetter - 1; i >= 0; i--) {
            around.add(better.get(i).ranked().at(rank - 1 - i));
        }
        around.add(mine.ranked());
        for (int i = 0; i < Math.min(worse.size(), neighbours - fromBetter); i++) {
            around.add(worse.get(i).ranked().at(rank + 1 + i));
        }
        return new Page(around, null, LeaderboardRules.endsAt(period));
    }

    /** Forgets write keys past their retention; harmless when several replicas run it. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
    void forgetOldKeys() {
        jdbc.sql("DELETE FROM leaderboard_write WHERE created_at < :before")
                .param("before", Timestamp.from(clock.instant().minus(KEY_RETENTION))).update();
    }

    /** A board's definition never changes once created (and boards are not deleted), so it is read once. */
    private Board find(String id) {
        Board known = boards.get(id);
        if (known != null) {
            return known;
        }
        Board board = jdbc.sql("SELECT leaderboard_id, sort_order, operator, reset_schedule FROM leaderboard WHERE leaderboard_id = :id")
                .param("id", id)
                .query((rs, n) -> new Board(rs.getString(1), SortOrder.valueOf(rs.getString(2)),
                        Operator.valueOf(rs.getString(3)), rs.getString(4)))
                .optional().orElseThrow(() -> LeaderboardRefusal.notFound("Leaderboard " + id));
        boards.put(id, board);
        return board;
    }

    /**
     * The records of the period (or of the player's friends) before {@code position} by
     * {@code bound}: on the whole board, the better buckets' sum plus a count inside the
     * position's own bucket; among friends (a few hundred at most), a count of them.
     */
    private long count(String id, long period, String among, UUID friendsOf, String bound, Position position) {
        if (friendsOf == null) {
            long bucket = LeaderboardRules.bucket(position.sortKey());
            return jdbc.sql("SELECT (SELECT coalesce(sum(records), 0) FROM leaderboard_bucket WHERE leaderboard_id = :board"
                            + " AND period_end = :period AND bucket < :bucket)"
                            + " + (SELECT count(*) FROM leaderboard_record r WHERE r.leaderboard_id = :board"
                            + " AND r.period_end = :period AND r.sort_key >= :start" + bound + ")")
                    .param("board", id).param("period", period).param("bucket", bucket)
                    .param("start", LeaderboardRules.bucketStart(bucket))
                    .param("key", position.sortKey()).param("at", Timestamp.from(position.updatedAt()))
                    .param("player", position.playerId())
                    .query(Long.class).single();
        }
        JdbcClient.StatementSpec count = jdbc.sql("SELECT count(*) FROM leaderboard_record r "
                        + "WHERE r.leaderboard_id = :board AND r.period_end = :period" + among + bound)
                .param("board", id).param("period", period)
                .param("key", position.sortKey()).param("at", Timestamp.from(position.updatedAt()))
                .param("player", position.playerId());
        if (friendsOf != null) {
            count = count.param("friendsOf", friendsOf);
        }
        return count.query(Long.class).single();
    }

    /** Rows of {@code sql}, ranked from {@code firstRank} by {@code step} in the order read. */
    private List<Row> rows(String sql, String id, long period, UUID friendsOf, Position from, int limit,
            long firstRank, int step) {
        if (limit <= 0) {
            return List.of();
        }
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("board", id).param("period", period).param("limit", limit);
        if (friendsOf != null) {
            query = query.param("friendsOf", friendsOf);
        }
        if (from != null) {
            query = query.param("key", from.sortKey()).param("at", Timestamp.from(from.updatedAt()))
                    .param("player", from.playerId());
        }
        long[] rank = { firstRank };
        return query.query((rs, n) -> {
            Row row = row(rs, rank[0]);
            rank[0] += step;
            return row;
        }).list();
    }

    private static Row row(ResultSet rs, long rank) throws SQLException {
        UUID player = rs.getObject("player_id", UUID.class);
        return new Row(new Ranked(player, rs.getString("display_name"), rs.getLong("score"), rank),
                new Position(rs.getLong("sort_key"), rs.getTimestamp("updated_at").toInstant(), player));
    }

    /** A cursor is where the last record read stood, so the next page starts right after it. */
    private static String encode(Position position) {
        String raw = position.sortKey() + "~" + ChronoUnit.MICROS.between(Instant.EPOCH, position.updatedAt()) + "~"
                + position.playerId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    private static Position decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split("~");
            return new Position(Long.parseLong(parts[0]), Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS),
                    UUID.fromString(parts[2]));
        }
        catch (RuntimeException e) {
            throw LeaderboardRefusal.invalid("Not a cursor this service gave");
        }
    }

    private static String hash(String request) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(request.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
