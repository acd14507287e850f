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
     * Records a ban (or, with {@code banned} false, its lifting) decided at {@code sequence} of
     * the player's event stream; an older decision than the one recorded is ignored.
     */
    public void record(String subject, boolean banned, Instant until, String reason, long sequence) {
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
