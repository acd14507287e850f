package dev.bulwark.platform.observability;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.micrometer.core.instrument.binder.MeterBinder;

/** Metrics every service exports about the platform's own mechanisms (see docs/metrics.md). */
@AutoConfiguration
public class ObservabilityConfiguration {

    @Bean
    MeterBinder messagingBacklogMetrics(JdbcClient jdbc) {
        return new MessagingBacklogMetrics(jdbc);
    }
}
