package dev.bulwark.architecture.violations;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** A JPA entity outside player-core: the persistence rule must refuse it. */
@Entity
class EntityOutsidePlayerCore {

    @Id
    Long id;
}
