package dev.bulwark.player.profile;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * XP boosts bought with the {@code xp-boost} offer: while a boost is active, experience written
 * by game servers is raised by its percentage. Boosts do not stack; the highest active one
 * applies, so buying two at once extends nothing and doubles nothing.
 */
@Component
public class XpBoosts {

    private final JdbcClient jdbc;
    private final Clock clock;

    XpBoosts(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records a boost for one saga step; the caller's transaction also records the saga outcome. */
    public Instant grant(UUID sagaId, String step, UUID playerId, int bonusPercent, long durationSeconds) {
        Instant expiresAt = clock.instant().plusSeconds(durationSeconds);
        jdbc.sql("""
                INSERT INTO xp_boost (saga_id, step, player_id, bonus_percent, expires_at)
                VALUES (:saga, :step, :player, :bonus, :expires)""")
                .param("saga", sagaId).param("step", step).param("player", playerId).param("bonus", bonusPercent)
                .param("expires", Timestamp.from(expiresAt)).update();
        return expiresAt;
    }

    /** The bonus percentage active now, 0 without a boost. */
    public int activeBonus(UUID playerId) {
        return jdbc.sql("SELECT coalesce(max(bonus_percent), 0) FROM xp_boost WHERE player_id = :player AND expires_at > :now")
                .param("player", playerId).param("now", Timestamp.from(clock.instant()))
                .query(Integer.class).single();
    }
}
