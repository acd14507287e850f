package dev.bulwark.player.profile;

import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

interface ProfileRepository extends Repository<Profile, UUID> {

    Optional<Profile> findById(UUID id);

    boolean existsById(UUID id);

    /**
     * {@code SELECT … FOR UPDATE}: profile writes, renames and authority changes of one player are
     * serialised, so a check made on the locked row (the lease, the version) still holds at commit.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select p from Profile p where p.id = :id")
    Optional<Profile> lockById(@Param("id") UUID id);

    void flush();
}
