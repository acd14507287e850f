package dev.bulwark.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/**
 * Rules over the production classes of the platform and of every service module (found by
 * directory, so a new service is covered without touching this test). The stack launcher is a
 * developer tool outside every request path and is not scanned.
 */
class ArchitectureTests {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    static List<Path> productionClassDirectories() {
        try (Stream<Path> modules = Files.list(ROOT)) {
            return modules.filter(m -> m.getFileName().toString().endsWith("-service")
                            || m.getFileName().toString().equals("platform"))
                    .map(m -> m.resolve("target/classes"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Imported once for all the rules: reading every service's classes is most of this test's time. */
    private static JavaClasses production;

    private static synchronized JavaClasses production() {
        if (production == null) {
            production = importProduction();
        }
        return production;
    }

    private static JavaClasses importProduction() {
        List<Path> directories = productionClassDirectories();
        assertThat(directories).allSatisfy(d -> assertThat(d).as("compiled classes (run through the reactor)").isDirectory());
        return new ClassFileImporter().importPaths(directories);
    }

    @Test
    void theScanCoversThePlatformAndEveryService() {
        JavaClasses classes = production();
        assertThat(classes.stream().map(c -> c.getPackageName()).distinct())
                .anyMatch(p -> p.startsWith("dev.bulwark.platform"))
                .anyMatch(p -> p.startsWith("dev.bulwark.player"))
                .anyMatch(p -> p.startsWith("dev.bulwark.economy"))
                .anyMatch(p -> p.startsWith("dev.bulwark.social"));
    }

    @Test
    void onlyTheClientFactoryBuildsHttpClients() {
        HttpClientRules.onlyTheFactoryBuildsHttpClients().check(production());
    }

    @Test
    void theHttpClientRuleCatchesAHandRolledClient() {
        JavaClasses violation = new ClassFileImporter()
                .importPaths(Path.of("target/test-classes/dev/bulwark/architecture/violations"));
        assertThat(HttpClientRules.onlyTheFactoryBuildsHttpClients().evaluate(violation).hasViolation()).isTrue();
    }

    @Test
    void noServicesRulesNameAnHttpStatus() {
        WebEdgeRules.httpStatusesOnlyAtTheWebEdge(WebEdgeRules.SERVICES.toArray(String[]::new)).check(production());
    }

    @Test
    void theWebEdgeRuleCatchesAStatusInTheRules() {
        JavaClasses violation = new ClassFileImporter()
                .importPaths(Path.of("target/test-classes/dev/bulwark/architecture/violations"));
        assertThat(WebEdgeRules.httpStatusesOnlyAtTheWebEdge("dev.bulwark.architecture.violations..")
                .evaluate(violation).hasViolation()).isTrue();
    }

    @Test
    void onlyPlayerCoreUsesJpa() {
        PersistenceRules.onlyPlayerCoreUsesJpa().check(production());
    }

    @Test
    void thePersistenceRuleCatchesAnEntityOutsidePlayerCore() {
        JavaClasses violation = new ClassFileImporter()
                .importPaths(Path.of("target/test-classes/dev/bulwark/architecture/violations"));
        assertThat(PersistenceRules.onlyPlayerCoreUsesJpa().evaluate(violation).hasViolation()).isTrue();
    }
}
