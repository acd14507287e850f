package dev.bulwark.player.account;

import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

/**
 * Accounts by id and by name. The name lookups say {@code lower(..)} on purpose: the unique
 * indexes are on {@code lower(username)} and {@code lower(display_name)}, and Spring Data's
 * {@code IgnoreCase} would compare {@code upper(..)}, which no index serves.
 */
interface AccountRepository extends Repository<Account, UUID> {

    Account save(Account account);

    void flush();

    @Query("select a from Account a where lower(a.username) = lower(:username)")
    Optional<Account> findByUsername(@Param("username") String username);

    /** Locked: a rename and a profile write to the same row are serialised, not failed. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select a from Account a where a.id = :id")
    Optional<Account> lockById(@Param("id") UUID id);

    /** Whether another account has this display name, in any case or as a look-alike (the same skeleton). */
    @Query("""
            select count(a) > 0 from Account a
            where (lower(a.displayName) = lower(:name) or a.displayNameSkeleton = :skeleton) and a.id <> :id""")
    boolean nameTakenByAnother(@Param("name") String name, @Param("skeleton") String skeleton, @Param("id") UUID id);
}
