package dev.bulwark.player.profile;

import java.time.Clock;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.events.player.PlayerLeveledUp;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.platform.security.AuthorityLease;
import dev.bulwark.platform.security.AuthorityLeases;
import dev.bulwark.platform.web.ApiException;

/**
 * Profile and progression. Settings change under optimistic versioning (a stale version is 409,
 * never a silent overwrite). Experience and stats are written only by the game server holding
 * the player: each write locks the row and checks the lease's server and epoch on it, so a stale
 * or foreign lease changes nothing, and an authority change waits for the write (or the write for it).
 */
@Service
public class Players {

    private final ProfileRepository profiles;
    private final Outbox outbox;
    private final XpBoosts boosts;
    private final Clock clock;

    Players(ProfileRepository profiles, Outbox outbox, XpBoosts boosts, Clock clock) {
        this.profiles = profiles;
        this.outbox = outbox;
        this.boosts = boosts;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public PlayerView get(UUID playerId) {
        return profiles.findById(playerId).orElseThrow(() -> notFound(playerId)).view(clock.instant());
    }

    @Transactional(readOnly = true)
    public boolean exists(UUID playerId) {
        return profiles.existsById(playerId);
    }

    @Transactional
    public PlayerView updateSettings(UUID playerId, long expectedVersion, String avatar, String language) {
        Profile profile = profiles.lockById(playerId).orElseThrow(() -> notFound(playerId));
        if (profile.version() != expectedVersion) {
            throw concurrentUpdate(expectedVersion);
        }
        profile.changeSettings(avatar, language);
        return written(profile);
    }

    /**
     * Adds experience (raised by an active XP boost) and levels up by the curve, publishing
     * {@code PlayerLeveledUp} in the same transaction when the level changes.
     */
    @Transactional
    public ExperienceGained addExperience(UUID playerId, AuthorityLease lease, long amount) {
        int bonus = boosts.activeBonus(playerId);
        long gained = amount + amount * bonus / 100;
        Profile profile = held(playerId, lease);
        int previousLevel = profile.level();
        profile.gainExperience(gained);
        if (profile.level() != previousLevel) {
            outbox.publish(new PlayerLeveledUp(playerId, previousLevel, profile.level(), profile.experience()),
                    playerId.toString());
        }
        return new ExperienceGained(amount, bonus, gained, written(profile));
    }

    /** Replaces the stats; with {@code expectedVersion}, only if nothing changed the player since. */
    @Transactional
    public PlayerView replaceStats(UUID playerId, AuthorityLease lease, PlayerView.Stats stats, Long expectedVersion) {
        Profile profile = held(playerId, lease);
        if (expectedVersion != null && profile.version() != expectedVersion) {
            throw concurrentUpdate(expectedVersion);
        }
        profile.replaceStats(stats);
        return written(profile);
    }

    /** The player's row, locked, if the lease is its current authority: 404 for an unknown player, else 409. */
    private Profile held(UUID playerId, AuthorityLease lease) {
        Profile profile = profiles.lockById(playerId).orElseThrow(() -> notFound(playerId));
        if (!profile.heldBy(lease, clock.instant())) {
            throw AuthorityLeases.stale("The lease is not the current authority over this player (stale epoch, "
                    + "another holder, or expired)");
        }
        return profile;
    }

    /** Flushed before answering, so that a check constraint refuses inside the method, as the SQL did. */
    private PlayerView written(Profile profile) {
        profiles.flush();
        return profile.view(clock.instant());
    }

    private static ApiException notFound(UUID playerId) {
        return ApiException.notFound("Player " + playerId);
    }

    private static ApiException concurrentUpdate(long expectedVersion) {
        return ApiException.conflict("concurrent-update",
                "The player changed since version " + expectedVersion + "; read it again and retry");
    }

    /** What an experience write did: the amount sent, the boost applied, what was added. */
    public record ExperienceGained(long amount, int bonusPercent, long gained, PlayerView player) {
    }
}
