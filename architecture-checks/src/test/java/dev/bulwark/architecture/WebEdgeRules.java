package dev.bulwark.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.util.List;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

/**
 * HTTP statuses are chosen at the web edge: a service's {@code web} package (the one mapping of
 * domain refusals to problems) and its controllers, which set their success codes. Rules below
 * them refuse with domain types and never name a status.
 */
final class WebEdgeRules {

    /** The services, whose rules refuse with domain types. */
    static final List<String> SERVICES = List.of("dev.bulwark.player..", "dev.bulwark.economy..", "dev.bulwark.social..");

    static final List<String> HTTP_STATUS_TYPES = List.of(
            "org.springframework.http.HttpStatus",
            "org.springframework.http.HttpStatusCode",
            "org.springframework.web.server.ResponseStatusException");

    private static final DescribedPredicate<JavaClass> HTTP_STATUSES = DescribedPredicate.describe(
            "name an HTTP status", c -> HTTP_STATUS_TYPES.contains(c.getName()));

    private WebEdgeRules() {
    }

    static ArchRule httpStatusesOnlyAtTheWebEdge(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .and().resideOutsideOfPackage("..web..")
                // player-core's GraphQL query is its second web edge: it maps downstream statuses to GraphQL errors
                .and().resideOutsideOfPackage("dev.bulwark.player.graph..")
                .and().areNotAnnotatedWith("org.springframework.web.bind.annotation.RestController")
                .should().dependOnClassesThat(HTTP_STATUSES)
                .because("rules refuse with domain refusals; the web edge gives each its status");
    }
}
