package dev.bulwark.player.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

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

    Bans(Players players, BanList banList, RefreshTokens refreshTokens, Outbox outbox, Clock clock) {
        this.players = players;
        this.banList = banList;
        this.refreshTokens = refreshTokens;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional
    void ban(UUID playerId, Instant until, String reason) {
        requireExists(playerId);
        if (until != null && !until.isAfter(clock.instant())) {
            throw ApiException.badRequest("invalid-request", "until must be in the future (or absent: until lifted)");
        }
        refreshTokens.revokeAll(playerId);
        Envelope event = outbox.publish(new PlayerBanned(playerId, until, reason), playerId.toString());
        banList.recordBan(playerId.toString(), until, reason, event.sequence(), event.occurredAt());
    }

    @Transactional
    void unban(UUID playerId) {
        requireExists(playerId);
        Envelope event = outbox.publish(new PlayerUnbanned(playerId), playerId.toString());
        banList.recordUnban(playerId.toString(), event.sequence());
    }

    private void requireExists(UUID playerId) {
        if (!players.exists(playerId)) {
            throw ApiException.notFound("Player " + playerId);
        }
    }
}
