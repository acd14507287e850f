package dev.bulwark.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

/**
 * JPA is player-core's alone (docs/decisions.md, "Where JPA stops"): the platform, the economy
 * and social are plain JDBC, because the economy's and social's data is spread over shard
 * databases and written through raw two-phase-commit connections, where a Hibernate session per
 * transaction would hold state no shard transaction can see. Bean Validation
 * ({@code org.hibernate.validator}) is not Hibernate ORM and stays allowed.
 */
final class PersistenceRules {

    static final String JPA_USER = "dev.bulwark.player..";

    private static final DescribedPredicate<JavaClass> JPA_OR_HIBERNATE_ORM = DescribedPredicate.describe(
            "belong to JPA or Hibernate ORM", c -> c.getPackageName().startsWith("jakarta.persistence")
                    || c.getPackageName().startsWith("org.springframework.orm")
                    || c.getPackageName().startsWith("org.springframework.data.jpa")
                    || (c.getPackageName().startsWith("org.hibernate")
                            && !c.getPackageName().startsWith("org.hibernate.validator")));

    private PersistenceRules() {
    }

    static ArchRule onlyPlayerCoreUsesJpa() {
        return noClasses().that().resideOutsideOfPackage(JPA_USER)
                .should().dependOnClassesThat(JPA_OR_HIBERNATE_ORM)
                .because("the platform, the economy and social are plain JDBC (JdbcClient, JdbcTransactionManager)");
    }
}
