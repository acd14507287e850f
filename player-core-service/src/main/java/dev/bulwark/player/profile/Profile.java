package dev.bulwark.player.profile;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.bulwark.platform.security.AuthorityLease;
import dev.bulwark.player.account.CharacterClass;

/**
 * A player's profile and progression: the settings, level, experience and stats of the
 * {@code player} row. The account's columns (names, class) and the authority lease's are read
 * here, never written: the account and the authority module own them. Flyway owns the table;
 * Hibernate only validates that these columns exist.
 *
 * <p>Every change moves {@code version} by one, the optimistic version clients send back. It is
 * counted here rather than by JPA's {@code @Version}, which skips a change that sets the values
 * already there; the writes hold the row lock ({@link ProfileRepository#lockById}), so the
 * version compared is the one written over.
 */
@Entity
@Table(name = "player")
class Profile {

    @Id
    @Column(name = "player_id")
    private UUID id;

    @Column(insertable = false, updatable = false)
    private String username;

    @Column(name = "display_name", insertable = false, updatable = false)
    private String displayName;

    @Enumerated(EnumType.STRING)
    @Column(name = "character_class", insertable = false, updatable = false)
    private CharacterClass characterClass;

    private int level;
    private long experience;
    private int hp;
    private int mp;
    private int strength;
    private int agility;
    private String avatar;
    private String language;

    @Column(name = "home_region", insertable = false, updatable = false)
    private String homeRegion;

    @Column(name = "authority_server", insertable = false, updatable = false)
    private String authorityServer;

    @Column(name = "authority_epoch", insertable = false, updatable = false)
    private long authorityEpoch;

    @Column(name = "authority_expires_at", insertable = false, updatable = false)
    private Instant authorityExpiresAt;

    private long version;

    protected Profile() {
    }

    long version() {
        return version;
    }

    int level() {
        return level;
    }

    long experience() {
        return experience;
    }

    /** Null leaves a setting as it is; the version moves either way, as it does for every write. */
    void changeSettings(String newAvatar, String newLanguage) {
        if (newAvatar != null) {
            avatar = newAvatar;
        }
        if (newLanguage != null) {
            language = newLanguage;
        }
        version++;
    }

    /** Adds experience and sets the level the curve gives for the total. */
    void gainExperience(long gained) {
        experience += gained;
        level = LevelCurve.levelFor(experience);
        version++;
    }

    void replaceStats(PlayerView.Stats stats) {
        hp = stats.hp();
        mp = stats.mp();
        strength = stats.strength();
        agility = stats.agility();
        version++;
    }

    /** Whether this lease is the player's current authority: its server and epoch, not expired. */
    boolean heldBy(AuthorityLease lease, Instant now) {
        return live(now) && lease.serverId().equals(authorityServer) && lease.epoch() == authorityEpoch;
    }

    private boolean live(Instant now) {
        return authorityServer != null && authorityExpiresAt != null && authorityExpiresAt.isAfter(now);
    }

    PlayerView view(Instant now) {
        return new PlayerView(id, username, displayName, characterClass, level, experience, LevelCurve.nextLevelAt(level),
                new PlayerView.Stats(hp, mp, strength, agility),
                live(now) ? new PlayerView.Authority(authorityServer, authorityEpoch, authorityExpiresAt) : null,
                avatar, language, homeRegion, version);
    }
}
