package dev.bulwark.player.account;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import org.springframework.data.domain.Persistable;

/**
 * A player's account: who they are and how they sign in. It maps the identity columns of the
 * {@code player} row; progression and settings are the profile's ({@code profile.Profile}), the
 * authority columns are written by SQL under a row lock (authority). Flyway owns the table:
 * Hibernate only validates that these columns exist.
 *
 * <p>{@code version} is the player's version that the profile's settings are compared against; every change
 * of the row moves it by one, renames too. It is counted here rather than by JPA's {@code @Version}, which
 * skips a change that sets the values already there; the writes hold the row lock, so no second check is needed.
 */
@Entity
@Table(name = "player")
class Account implements Persistable<UUID> {

    @Id
    @Column(name = "player_id")
    private UUID id;

    @Column(updatable = false)
    private String username;

    @Column(name = "display_name")
    private String displayName;

    @Column(name = "display_name_skeleton")
    private String displayNameSkeleton;

    @Column(name = "password_hash")
    private String passwordHash;

    @Enumerated(EnumType.STRING)
    @Column(name = "character_class", updatable = false)
    private CharacterClass characterClass;

    @Column(name = "home_region", updatable = false)
    private String homeRegion;

    @Column(name = "created_at", updatable = false)
    private Instant createdAt;

    private long version;

    /** True until inserted: the id is ours, not generated, so Spring Data cannot tell a new account by it. */
    @Transient
    private boolean fresh;

    protected Account() {
    }

    /** A new account; its display name is stored normalised, with the skeleton that keeps look-alikes out. */
    static Account register(UUID id, String username, String displayName, String passwordHash,
            CharacterClass characterClass, String homeRegion, Instant now) {
        Account account = new Account();
        account.homeRegion = homeRegion;
        account.id = id;
        account.username = username;
        account.passwordHash = passwordHash;
        account.characterClass = characterClass;
        account.createdAt = now;
        account.version = 0;
        account.fresh = true;
        account.name(displayName);
        return account;
    }

    String homeRegion() {
        return homeRegion;
    }

    void rename(String displayName) {
        name(displayName);
        version++;
    }

    private void name(String requested) {
        this.displayName = DisplayNames.normalize(requested);
        this.displayNameSkeleton = DisplayNames.skeleton(this.displayName);
    }

    @PostLoad
    @PostPersist
    void stored() {
        fresh = false;
    }

    @Override
    public UUID getId() {
        return id;
    }

    @Override
    public boolean isNew() {
        return fresh;
    }

    UUID id() {
        return id;
    }

    String username() {
        return username;
    }

    String displayName() {
        return displayName;
    }

    String displayNameSkeleton() {
        return displayNameSkeleton;
    }

    String passwordHash() {
        return passwordHash;
    }
}
