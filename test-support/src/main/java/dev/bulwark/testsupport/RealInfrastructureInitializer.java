package dev.bulwark.testsupport;

import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a service under test at the JVM's real PostgreSQL (its own database, named after
 * {@code spring.application.name}) and Kafka, and at the test signing keys.
 */
public class RealInfrastructureInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment env = context.getEnvironment();
        TestInfrastructure infra = TestInfrastructure.get();
        String database = env.getProperty("bulwark.test.database",
                env.getProperty("spring.application.name", "bulwark").replace('-', '_'));
        TestKeys keys = TestKeys.primary();
        env.getPropertySources().addFirst(new MapPropertySource("bulwark-test-infrastructure", Map.of(
                "spring.datasource.url", infra.database(database),
                "spring.datasource.username", infra.username(),
                "spring.datasource.password", infra.password(),
                "spring.kafka.bootstrap-servers", infra.kafkaBootstrapServers(),
                "bulwark.security.issuer", TestKeys.ISSUER,
                "bulwark.security.audience", TestKeys.AUDIENCE,
                "bulwark.security.public-key-location", keys.publicKeyLocation(),
                "bulwark.security.private-key-location", keys.privateKeyLocation())));
    }
}
