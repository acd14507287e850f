package dev.bulwark.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

import dev.bulwark.testsupport.Modularity;

/**
 * The module rules each service's {@code ModularityTests} applies ({@link Modularity}) catch a
 * module reaching into another's internals, a cycle and a needlessly public type, on a fixture
 * application built to break them.
 */
class ModuleRulesTests {

    private static final String FIXTURE = "dev.bulwark.architecture.violations.modules";

    @Test
    void theModuleRulesCatchInternalsCyclesAndNeedlesslyPublicTypes() {
        List<String> violations = Modularity.violations(fixture());

        assertThat(violations).anyMatch(v -> v.contains("non-exposed type") && v.contains("alpha.internal.Secret"));
        assertThat(violations).anyMatch(v -> v.contains("Cycle detected"));
        assertThat(violations).contains(Modularity.publicButUnused(FIXTURE + ".beta.Unused"));
        assertThat(violations).noneMatch(v -> v.contains(".Alpha is public") || v.contains(".Beta is public"));
    }

    @Test
    void anAllowListNeitherHidesANewViolationNorOutlivesItsFix() {
        ApplicationModules modules = fixture();
        Set<String> all = Set.copyOf(Modularity.violations(modules));

        assertThatThrownBy(() -> Modularity.verify(modules, Set.of())).isInstanceOf(AssertionError.class);
        Modularity.verify(modules, all);
        String fixed = Modularity.publicButUnused(FIXTURE + ".beta.Gone");
        assertThatThrownBy(() -> Modularity.verify(modules, union(all, fixed)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("allow-listed but gone");
    }

    /** The fixture lives in test classes, which Modulith leaves out unless told otherwise. */
    private static ApplicationModules fixture() {
        return ApplicationModules.of(FIXTURE, location -> true);
    }

    private static Set<String> union(Set<String> set, String extra) {
        return Stream.concat(set.stream(), Stream.of(extra)).collect(Collectors.toUnmodifiableSet());
    }
}
