package dev.bulwark.platform.observability;

import java.time.Clock;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.micrometer.core.instrument.binder.MeterBinder;

/** Metrics every service exports about the platform's own mechanisms (see docs/metrics.md). */
@AutoConfiguration
public class ObservabilityConfiguration {

    @Bean
    MeterBinder messagingBacklogMetrics(JdbcClient jdbc) {
        return new MessagingBacklogMetrics(jdbc);
    }

    @Bean
    PlayersOnline playersOnline(Clock clock) {
        return new PlayersOnline(clock);
    }

    @Bean
    WebMvcConfigurer playersOnlineInterceptor(PlayersOnline playersOnline) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(playersOnline).addPathPatterns("/api/**", "/graphql");
            }
        };
    }
}
