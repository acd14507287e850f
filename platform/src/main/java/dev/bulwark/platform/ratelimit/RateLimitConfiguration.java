package dev.bulwark.platform.ratelimit;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Per-key rate limits that hold across every instance of a service. */
@AutoConfiguration
@EnableConfigurationProperties(RateLimitStoreProperties.class)
public class RateLimitConfiguration {

    @Bean
    RateLimits rateLimits(DataSource dataSource, RateLimitStoreProperties properties) {
        return new RateLimits(dataSource, properties);
    }
}
