package dev.bulwark.player.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.events.Envelope;
import dev.bulwark.events.player.PlayerBanned;
import dev.bulwark.events.player.PlayerUnbanned;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.platform.security.BanList;
import dev.bulwark.platform.web.ApiException;
import dev.bulwark.player.account.RefreshTokens;
import dev.bulwark.player.profile.Players;

/**
 * Bans by an operator. In one transaction: the ban list player-core checks on every token (so
 * its own refusal is immediate), the player's refresh tokens revoked, and {@code PlayerBanned}
 * published, from which every other service's ban list is fed within moments.
 */
@Service
class Bans {

    private final Players players;
    private final BanList banList;
    private final RefreshTokens refreshTokens;
    private final Outbox outbox;
    private final Clock clock;
    private final JdbcClient jdbc;

    /** A ban or a lift as the admin audit log keeps it; {@code adminId} names the operator. */
    record BanEntry(long id, String adminId, String action, String reason, Instant until, Instant at) {
    }

    Bans(Players players, BanList banList, RefreshTokens refreshTokens, Outbox outbox, Clock clock, JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.players = players;
        this.banList = banList;
        this.refreshTokens = refreshTokens;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional
    void ban(UUID playerId, Instant until, String reason, String adminId) {
        requireExists(playerId);
        if (until != null && !until.isAfter(clock.instant())) {
            throw ApiException.badRequest("invalid-request", "until must be in the future (or absent: until lifted)");
        }
        refreshTokens.revokeAll(playerId);
        Envelope event = outbox.publish(new PlayerBanned(playerId, until, reason), playerId.toString());
        banList.recordBan(playerId.toString(), until, reason, event.sequence(), event.occurredAt());
        audit(adminId, playerId, "BAN", reason, until);
    }

    @Transactional
    void unban(UUID playerId, String adminId) {
        requireExists(playerId);
        Envelope event = outbox.publish(new PlayerUnbanned(playerId), playerId.toString());
        banList.recordUnban(playerId.toString(), event.sequence());
        audit(adminId, playerId, "UNBAN", null, null);
    }

    /** The player's bans and lifts, newest first. */
    @Transactional(readOnly = true)
    List<BanEntry> log(UUID playerId, int limit) {
        return jdbc.sql("""
                SELECT id, admin_id, action, reason, until, at FROM admin_audit_log
                WHERE subject = :subject ORDER BY at DESC, id DESC LIMIT :limit""")
                .param("subject", playerId.toString()).param("limit", limit)
                .query((rs, row) -> new BanEntry(rs.getLong("id"), rs.getString("admin_id"), rs.getString("action"),
                        rs.getString("reason"), rs.getTimestamp("until") == null ? null : rs.getTimestamp("until").toInstant(),
                        rs.getTimestamp("at").toInstant()))
                .list();
    }

    private void audit(String adminId, UUID playerId, String action, String reason, Instant until) {
        jdbc.sql("""
                INSERT INTO admin_audit_log (admin_id, subject, action, reason, until, at)
                VALUES (:admin, :subject, :action, :reason, :until, :at)""")
                .param("admin", adminId).param("subject", playerId.toString()).param("action", action)
                .param("reason", reason).param("until", until == null ? null : java.sql.Timestamp.from(until))
                .param("at", java.sql.Timestamp.from(clock.instant())).update();
    }

    private void requireExists(UUID playerId) {
        if (!players.exists(playerId)) {
            throw ApiException.notFound("Player " + playerId);
        }
    }
}
