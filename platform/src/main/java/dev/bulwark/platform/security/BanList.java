package dev.bulwark.platform.security;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The players whose tokens this service refuses. Every service keeps its own copy, fed by
 * {@link BanListener} from {@code PlayerBanned}/{@code PlayerUnbanned}; player-core also writes
 * it in the banning transaction so that its own refusal is immediate. Writes are monotonic by
 * the event's sequence, so redelivered or reordered events cannot undo a newer decision.
 *
 * <p>A ban also refuses, for good, every token issued before it: lifting the ban must not
 * revive the access tokens the player (or whoever stole them) held when banned. That cut-off only
 * ever rises, whatever order the events arrive in.
 */
public class BanList {

    private final JdbcClient jdbc;
    private final Clock clock;

    public BanList(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Whether the subject is banned right now. */
    public boolean isBanned(String subject) {
        return jdbc.sql("""
                SELECT count(*) FROM banned_subject
                WHERE subject = :subject AND banned AND (until IS NULL OR until > :now)""")
                .param("subject", subject).param("now", Timestamp.from(clock.instant()))
                .query(Integer.class).single() > 0;
    }

    /**
     * Whether a token for {@code subject} issued at {@code issuedAt} is refused: the subject is
     * banned now, or the token was issued before a ban (lifted or not).
     */
    public boolean refuses(String subject, Instant issuedAt) {
        return jdbc.sql("""
                SELECT count(*) FROM banned_subject
                WHERE subject = :subject
                  AND ((banned AND (until IS NULL OR until > :now))
                       OR (tokens_issued_before IS NOT NULL AND :issuedAt < tokens_issued_before))""")
                .param("subject", subject).param("now", Timestamp.from(clock.instant()))
                .param("issuedAt", Timestamp.from(issuedAt == null ? Instant.EPOCH : issuedAt))
                .query(Integer.class).single() > 0;
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
    }

    /** Records that the ban was lifted at {@code sequence}; the tokens issued before it stay refused. */
    public void recordUnban(String subject, long sequence) {
        record(subject, false, null, null, sequence);
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
