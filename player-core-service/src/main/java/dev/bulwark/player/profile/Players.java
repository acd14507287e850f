package dev.bulwark.player.profile;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.events.player.PlayerLeveledUp;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.platform.security.AuthorityLease;
import dev.bulwark.platform.security.AuthorityLeases;
import dev.bulwark.platform.web.ApiException;
import dev.bulwark.player.account.CharacterClass;

/**
 * Profile and progression. Settings change under optimistic versioning (a stale version is 409,
 * never a silent overwrite). Experience and stats are written only by the game server holding
 * the player, by an UPDATE conditioned on the lease's server and epoch: a stale or foreign lease
 * matches no row and changes nothing.
 */
@Service
public class Players {

    private static final String COLUMNS = """
            player_id, username, display_name, character_class, level, experience, hp, mp, strength, agility,
            authority_server, authority_epoch, authority_expires_at, avatar, language, version""";

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final XpBoosts boosts;
    private final Clock clock;

    Players(JdbcClient jdbc, Outbox outbox, XpBoosts boosts, Clock clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.boosts = boosts;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public PlayerView get(UUID playerId) {
        return find(playerId).orElseThrow(() -> ApiException.notFound("Player " + playerId));
    }

    private Optional<PlayerView> find(UUID playerId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM player WHERE player_id = :id").param("id", playerId)
                .query(this::view).optional();
    }

    @Transactional
    public PlayerView updateSettings(UUID playerId, long expectedVersion, String avatar, String language) {
        int updated = jdbc.sql("""
                UPDATE player SET avatar = coalesce(:avatar, avatar), language = coalesce(:language, language),
                                  version = version + 1
                WHERE player_id = :id AND version = :version""")
                .param("avatar", avatar).param("language", language).param("id", playerId)
                .param("version", expectedVersion).update();
        if (updated == 0) {
            get(playerId);
            throw concurrentUpdate(expectedVersion);
        }
        return get(playerId);
    }

    /**
     * Adds experience (raised by an active XP boost) and levels up by the curve, publishing
     * {@code PlayerLeveledUp} in the same transaction when the level changes.
     */
    @Transactional
    public ExperienceGained addExperience(UUID playerId, AuthorityLease lease, long amount) {
        int bonus = boosts.activeBonus(playerId);
        long gained = amount + amount * bonus / 100;
        Progress progress = jdbc.sql("""
                UPDATE player SET experience = experience + :gained, version = version + 1
                WHERE player_id = :id AND authority_server = :server AND authority_epoch = :epoch
                  AND authority_expires_at > :now
                RETURNING level, experience""")
                .param("gained", gained).param("id", playerId).param("server", lease.serverId())
                .param("epoch", lease.epoch()).param("now", Timestamp.from(clock.instant()))
                .query((rs, n) -> new Progress(rs.getInt("level"), rs.getLong("experience")))
                .optional()
                .orElseThrow(() -> refusedWrite(playerId));
        int level = LevelCurve.levelFor(progress.experience());
        if (level != progress.level()) {
            jdbc.sql("UPDATE player SET level = :level WHERE player_id = :id").param("level", level).param("id", playerId)
                    .update();
            outbox.publish(new PlayerLeveledUp(playerId, progress.level(), level, progress.experience()), playerId.toString());
        }
        return new ExperienceGained(amount, bonus, gained, get(playerId));
    }

    /** Replaces the stats; with {@code expectedVersion}, only if nothing changed the player since. */
    @Transactional
    public PlayerView replaceStats(UUID playerId, AuthorityLease lease, PlayerView.Stats stats, Long expectedVersion) {
        int updated = jdbc.sql("""
                UPDATE player SET hp = :hp, mp = :mp, strength = :strength, agility = :agility, version = version + 1
                WHERE player_id = :id AND authority_server = :server AND authority_epoch = :epoch
                  AND authority_expires_at > :now AND (CAST(:version AS BIGINT) IS NULL OR version = :version)""")
                .param("hp", stats.hp()).param("mp", stats.mp()).param("strength", stats.strength())
                .param("agility", stats.agility()).param("id", playerId).param("server", lease.serverId())
                .param("epoch", lease.epoch()).param("now", Timestamp.from(clock.instant()))
                .param("version", expectedVersion)
                .update();
        if (updated == 0) {
            if (expectedVersion != null && holds(playerId, lease)) {
                throw concurrentUpdate(expectedVersion);
            }
            throw refusedWrite(playerId);
        }
        return get(playerId);
    }

    private boolean holds(UUID playerId, AuthorityLease lease) {
        return jdbc.sql("""
                SELECT count(*) FROM player WHERE player_id = :id AND authority_server = :server
                  AND authority_epoch = :epoch AND authority_expires_at > :now""")
                .param("id", playerId).param("server", lease.serverId()).param("epoch", lease.epoch())
                .param("now", Timestamp.from(clock.instant())).query(Integer.class).single() > 0;
    }

    private static ApiException concurrentUpdate(long expectedVersion) {
        return ApiException.conflict("concurrent-update",
                "The player changed since version " + expectedVersion + "; read it again and retry");
    }

    /** 404 for an unknown player, otherwise 409: the lease is no longer the player's current one. */
    private ApiException refusedWrite(UUID playerId) {
        if (find(playerId).isEmpty()) {
            return ApiException.notFound("Player " + playerId);
        }
        return AuthorityLeases.stale("The lease is not the current authority over this player (stale epoch, "
                + "another holder, or expired)");
    }

    private PlayerView view(ResultSet rs, int row) throws SQLException {
        Timestamp expires = rs.getTimestamp("authority_expires_at");
        String server = rs.getString("authority_server");
        boolean held = server != null && expires != null && expires.toInstant().isAfter(clock.instant());
        int level = rs.getInt("level");
        return new PlayerView(rs.getObject("player_id", UUID.class), rs.getString("username"),
                rs.getString("display_name"), CharacterClass.valueOf(rs.getString("character_class")), level,
                rs.getLong("experience"), LevelCurve.nextLevelAt(level),
                new PlayerView.Stats(rs.getInt("hp"), rs.getInt("mp"), rs.getInt("strength"), rs.getInt("agility")),
                held ? new PlayerView.Authority(server, rs.getLong("authority_epoch"), expires.toInstant()) : null,
                rs.getString("avatar"), rs.getString("language"), rs.getLong("version"));
    }

    private record Progress(int level, long experience) {
    }

    /** What an experience write did: the amount sent, the boost applied, what was added. */
    public record ExperienceGained(long amount, int bonusPercent, long gained, PlayerView player) {
    }
}
