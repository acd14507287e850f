package dev.bulwark.player.authority;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.events.player.AuthorityChanged;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.platform.security.AuthorityLease;
import dev.bulwark.platform.security.AuthorityLeases;
import dev.bulwark.platform.web.ApiException;
import dev.bulwark.player.account.AuthProperties;
import dev.bulwark.player.account.TokenIssuer;

/**
 * Which game server may write a player's state: a lease with a fencing epoch (docs/architecture.md
 * §2). Every change reads the player's row {@code FOR UPDATE}, so two servers claiming at once
 * are serialised and exactly one wins. A new holder (claim of a free or expired player,
 * transfer) gets epoch + 1 and an {@code AuthorityChanged} event; renewing keeps the epoch.
 */
@Service
class Authority {

    private final JdbcClient jdbc;
    private final TokenIssuer signer;
    private final Outbox outbox;
    private final AuthorityProperties properties;
    private final AuthProperties clients;
    private final Clock clock;

    Authority(JdbcClient jdbc, TokenIssuer signer, Outbox outbox, AuthorityProperties properties, AuthProperties clients,
            Clock clock) {
        this.jdbc = jdbc;
        this.signer = signer;
        this.outbox = outbox;
        this.properties = properties;
        this.clients = clients;
        this.clock = clock;
    }

    /** Claims a free player, or one whose lease expired; the current holder gets a fresh lease. */
    @Transactional
    LeaseResponse claim(UUID playerId, String serverId, Duration ttl) {
        Instant now = clock.instant();
        Current current = lock(playerId);
        boolean heldByOther = current.live(now) && !serverId.equals(current.serverId());
        if (heldByOther) {
            throw ApiException.conflict("authority-held",
                    "Game server " + current.serverId() + " holds this player until " + current.expiresAt());
        }
        boolean newHolder = !current.live(now);
        long epoch = newHolder ? current.epoch() + 1 : current.epoch();
        LeaseResponse lease = grant(playerId, serverId, epoch, ttl, now);
        if (newHolder) {
            outbox.publish(new AuthorityChanged(playerId, AuthorityChanged.Change.CLAIMED, serverId, epoch,
                    lease.expiresAt()), playerId.toString());
        }
        return lease;
    }

    @Transactional
    LeaseResponse renew(UUID playerId, AuthorityLease lease, Duration ttl) {
        Instant now = clock.instant();
        requireCurrent(lock(playerId), lease, now);
        return grant(playerId, lease.serverId(), lease.epoch(), ttl, now);
    }

    /** The holder hands the player to another game server, which gets the next epoch. */
    @Transactional
    LeaseResponse transfer(UUID playerId, AuthorityLease lease, String toServerId) {
        if (!clients.gameServers().contains(toServerId)) {
            throw ApiException.badRequest("unknown-server", "No game server is configured with id " + toServerId);
        }
        if (toServerId.equals(lease.serverId())) {
            throw ApiException.badRequest("invalid-request", "The player is already held by " + toServerId);
        }
        Instant now = clock.instant();
        Current current = requireCurrent(lock(playerId), lease, now);
        long epoch = current.epoch() + 1;
        LeaseResponse granted = grant(playerId, toServerId, epoch, properties.leaseTtl(), now);
        outbox.publish(new AuthorityChanged(playerId, AuthorityChanged.Change.TRANSFERRED, toServerId, epoch,
                granted.expiresAt()), playerId.toString());
        return granted;
    }

    @Transactional
    void release(UUID playerId, AuthorityLease lease) {
        Instant now = clock.instant();
        Current current = requireCurrent(lock(playerId), lease, now);
        jdbc.sql("""
                UPDATE player SET authority_server = NULL, authority_expires_at = NULL, version = version + 1
                WHERE player_id = :id""").param("id", playerId).update();
        outbox.publish(new AuthorityChanged(playerId, AuthorityChanged.Change.RELEASED, null, current.epoch(), null),
                playerId.toString());
    }

    Duration ttl(Integer requestedSeconds) {
        if (requestedSeconds == null) {
            return properties.leaseTtl();
        }
        Duration requested = Duration.ofSeconds(requestedSeconds);
        if (requested.compareTo(properties.maxLeaseTtl()) > 0) {
            throw ApiException.badRequest("invalid-request",
                    "ttlSeconds may be at most " + properties.maxLeaseTtl().toSeconds());
        }
        return requested;
    }

    private Current lock(UUID playerId) {
        return jdbc.sql("""
                SELECT authority_server, authority_epoch, authority_expires_at FROM player
                WHERE player_id = :id FOR UPDATE""")
                .param("id", playerId)
                .query((rs, n) -> new Current(rs.getString(1), rs.getLong(2),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()))
                .optional()
                .orElseThrow(() -> ApiException.notFound("Player " + playerId));
    }

    private static Current requireCurrent(Current current, AuthorityLease lease, Instant now) {
        if (!current.live(now) || !lease.serverId().equals(current.serverId()) || lease.epoch() != current.epoch()) {
            throw AuthorityLeases.stale("The lease is not the current authority over this player");
        }
        return current;
    }

    /**
     * Records the holder and signs its lease. JWT expiry has whole seconds, so the row's has too; it is rounded up,
     * never down, so that a lease lasts at least the ttl asked for (a one-second lease rounded down could be expired
     * before its holder reads it).
     */
    private LeaseResponse grant(UUID playerId, String serverId, long epoch, Duration ttl, Instant now) {
        Instant exact = now.plus(ttl);
        Instant whole = exact.truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = whole.equals(exact) ? whole : whole.plusSeconds(1);
        jdbc.sql("""
                UPDATE player SET authority_server = :server, authority_epoch = :epoch, authority_expires_at = :expires,
                                  version = version + 1
                WHERE player_id = :id""")
                .param("server", serverId).param("epoch", epoch).param("expires", Timestamp.from(expiresAt))
                .param("id", playerId).update();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(signer.issuer())
                .audience(List.of(AuthorityLeases.AUDIENCE))
                .subject(playerId.toString())
                .issuedAt(now)
                .expiresAt(expiresAt)
                .id(UUID.randomUUID().toString())
                .claim(AuthorityLeases.SERVER_CLAIM, serverId)
                .claim(AuthorityLeases.EPOCH_CLAIM, epoch)
                .build();
        return new LeaseResponse(serverId, epoch, expiresAt, signer.sign(claims, AuthorityLeases.TYPE));
    }

    private record Current(String serverId, long epoch, Instant expiresAt) {

        boolean live(Instant now) {
            return serverId != null && expiresAt != null && expiresAt.isAfter(now);
        }
    }
}
