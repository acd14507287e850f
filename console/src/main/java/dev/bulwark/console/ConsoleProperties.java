package dev.bulwark.console;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * Where the services are, and how long the console waits for one.
 *
 * @param timeout a page waits at most this long for each service it reads; a service past it is
 *                shown as unreachable rather than holding the page
 */
@Validated
@ConfigurationProperties("bulwark.console")
record ConsoleProperties(@NotNull URI playerCoreUrl, @NotNull URI economyUrl, @NotNull URI socialUrl,
        @NotNull Duration timeout) {
}
