package dev.bulwark.platform.security;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The players whose tokens this service refuses. Every service keeps its own copy, fed by
 * {@link BanListener} from {@code PlayerBanned}/{@code PlayerUnbanned}; player-core also writes
 * it in the banning transaction so that its own refusal is immediate. Writes are monotonic by
 * the event's sequence, so redelivered or reordered events cannot undo a newer decision.
 *
 * <p>Every player request asks, so the answer comes from memory: the subjects banned now (a
 * small set), read again when {@link #REFRESH} has passed, and at once after this instance
 * recorded a decision (after its transaction commits). Another replica of the same service sees
 * a ban that arrived through this one's consumer within {@link #REFRESH}. Reading the table on
 * every request cost each write a database transaction of its own.
 *
 * <p>A ban also refuses, for good, every token issued before it: lifting the ban must not
 * revive the access tokens the player (or whoever stole them) held when banned. That cut-off only
 * ever rises, whatever order the events arrive in.
 */
public class BanList {

    static final Duration REFRESH = Duration.ofSeconds(1);

    /**
     * The subjects banned when {@code loadedAt} (System.nanoTime) was taken, with the end of each
     * ban, and every subject's cut-off for earlier tokens.
     */
    private record Snapshot(Map<String, Instant> until, Map<String, Instant> tokensIssuedBefore, long loadedAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private volatile Snapshot snapshot;
    /** Decisions recorded here; a snapshot read while one committed is not kept. */
    private final AtomicLong decisions = new AtomicLong();

    public BanList(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Whether the subject is banned right now. */
    public boolean isBanned(String subject) {
        Instant until = current().until().get(subject);
        return until != null && until.isAfter(clock.instant());
    }

    private Snapshot current() {
        Snapshot current = snapshot;
        if (current != null && System.nanoTime() - current.loadedAt() < REFRESH.toNanos()) {
            return current;
        }
        synchronized (this) {
            current = snapshot;
            if (current == null || System.nanoTime() - current.loadedAt() >= REFRESH.toNanos()) {
                long loadedAt = System.nanoTime();
                long decided = decisions.get();
                Map<String, Instant> until = new HashMap<>();
                Map<String, Instant> tokensIssuedBefore = new HashMap<>();
                jdbc.sql("""
                        SELECT subject, banned AND (until IS NULL OR until > :now) AS banned_now, until,
                               tokens_issued_before
                        FROM banned_subject
                        WHERE (banned AND (until IS NULL OR until > :now)) OR tokens_issued_before IS NOT NULL""")
                        .param("now", Timestamp.from(clock.instant()))
                        .query(rs -> {
                            if (rs.getBoolean("banned_now")) {
                                Timestamp end = rs.getTimestamp("until");
                                until.put(rs.getString("subject"), end == null ? Instant.MAX : end.toInstant());
                            }
                            Timestamp cutOff = rs.getTimestamp("tokens_issued_before");
                            if (cutOff != null) {
                                tokensIssuedBefore.put(rs.getString("subject"), cutOff.toInstant());
                            }
                        });
                current = new Snapshot(Map.copyOf(until), Map.copyOf(tokensIssuedBefore), loadedAt);
                snapshot = decisions.get() == decided ? current : null;
            }
            return current;
        }
    }

    /** The next check reads the table again: once the recording transaction committed, or now outside one. */
    private void forget() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    decisions.incrementAndGet();
                    snapshot = null;
                }
            });
        } else {
            decisions.incrementAndGet();
            snapshot = null;
        }
    }

    /**
     * Whether a token for {@code subject} issued at {@code issuedAt} is refused: the subject is
     * banned now, or the token was issued before a ban (lifted or not).
     */
    public boolean refuses(String subject, Instant issuedAt) {
        Snapshot current = current();
        Instant until = current.until().get(subject);
        if (until != null && until.isAfter(clock.instant())) {
            return true;
        }
        Instant cutOff = current.tokensIssuedBefore().get(subject);
        return cutOff != null && (issuedAt == null ? Instant.EPOCH : issuedAt).isBefore(cutOff);
    }

    /**
     * Records a ban decided at {@code bannedAt}, at {@code sequence} of the player's event stream:
     * an older decision than the one recorded does not change whether the player is banned, but
     * still refuses the tokens issued before it.
     */
    public void recordBan(String subject, Instant until, String reason, long sequence, Instant bannedAt) {
        record(subject, true, until, reason, sequence);
        jdbc.sql("""
                UPDATE banned_subject SET tokens_issued_before = :bannedAt
                WHERE subject = :subject AND (tokens_issued_before IS NULL OR tokens_issued_before < :bannedAt)""")
                .param("subject", subject).param("bannedAt", Timestamp.from(bannedAt)).update();
        forget();
    }

    /** Records that the ban was lifted at {@code sequence}; the tokens issued before it stay refused. */
    public void recordUnban(String subject, long sequence) {
        record(subject, false, null, null, sequence);
        forget();
    }

    private void record(String subject, boolean banned, Instant until, String reason, long sequence) {
        jdbc.sql("""
                INSERT INTO banned_subject (subject, banned, until, reason, sequence, updated_at)
                VALUES (:subject, :banned, :until, :reason, :sequence, :now)
                ON CONFLICT (subject) DO UPDATE
                SET banned = EXCLUDED.banned, until = EXCLUDED.until, reason = EXCLUDED.reason,
                    sequence = EXCLUDED.sequence, updated_at = EXCLUDED.updated_at
                WHERE banned_subject.sequence < EXCLUDED.sequence""")
                .param("subject", subject).param("banned", banned)
                .param("until", until == null ? null : Timestamp.from(until))
                .param("reason", reason).param("sequence", sequence)
                .param("now", Timestamp.from(clock.instant()))
                .update();
    }
}
