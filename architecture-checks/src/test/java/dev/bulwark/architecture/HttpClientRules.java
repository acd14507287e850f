package dev.bulwark.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.util.List;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Every synchronous call must go through the platform's client factory
 * ({@code dev.bulwark.platform.http.ResilientClients}: circuit breaker, bulkhead, read timeout,
 * bounded retries of reads). A client built anywhere else would escape all of that, as the
 * seed's retry storm did, so building one is forbidden outside the factory's package.
 */
final class HttpClientRules {

    static final String FACTORY_PACKAGE = "dev.bulwark.platform.http..";

    /** Types that build or register HTTP clients (nested types such as {@code RestClient.Builder} included). */
    static final List<String> CLIENT_BUILDERS = List.of(
            "org.springframework.web.client.RestClient",
            "org.springframework.web.client.RestTemplate",
            "org.springframework.boot.restclient.RestTemplateBuilder",
            "org.springframework.web.reactive.function.client.WebClient",
            "org.springframework.web.client.support.RestClientAdapter",
            "org.springframework.web.client.support.RestTemplateAdapter",
            "org.springframework.web.service.invoker.HttpServiceProxyFactory",
            "org.springframework.web.service.registry.ImportHttpServices",
            "org.springframework.web.service.registry.AbstractHttpServiceRegistrar",
            "java.net.http.HttpClient",
            "java.net.HttpURLConnection",
            "org.apache.hc.client5.http.impl.classic.HttpClients",
            "okhttp3.OkHttpClient");

    private static final DescribedPredicate<JavaClass> BUILDS_HTTP_CLIENTS = DescribedPredicate.describe(
            "build or register HTTP clients", c -> CLIENT_BUILDERS.stream()
                    .anyMatch(name -> c.getName().equals(name) || c.getName().startsWith(name + "$")));

    private HttpClientRules() {
    }

    static ArchRule onlyTheFactoryBuildsHttpClients() {
        return noClasses().that().resideOutsideOfPackage(FACTORY_PACKAGE)
                .should().dependOnClassesThat(BUILDS_HTTP_CLIENTS)
                .orShould().beAnnotatedWith("org.springframework.web.service.registry.ImportHttpServices")
                .because("every synchronous call goes through ResilientClients (breaker, bulkhead, timeout, "
                        + "read-only retries with a budget); see docs/architecture.md §3");
    }
}
