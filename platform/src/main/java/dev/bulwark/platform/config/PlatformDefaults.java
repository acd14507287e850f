package dev.bulwark.platform.config;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds {@code bulwark-platform-defaults.yaml} at the lowest precedence, so that the three
 * services share one set of safe defaults and each service's own configuration wins.
 */
public class PlatformDefaults implements EnvironmentPostProcessor {

    static final String RESOURCE = "bulwark-platform-defaults.yaml";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            new YamlPropertySourceLoader().load("bulwarkPlatformDefaults", new ClassPathResource(RESOURCE))
                    .forEach(environment.getPropertySources()::addLast);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }
}
