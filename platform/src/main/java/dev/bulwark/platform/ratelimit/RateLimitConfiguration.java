package dev.bulwark.platform.ratelimit;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.bulwark.platform.security.Access;

/** Per-key rate limits that hold across every instance of a service, and the write limit built on them. */
@AutoConfiguration
@EnableConfigurationProperties(RateLimitStoreProperties.class)
public class RateLimitConfiguration {

    @Bean
    RateLimits rateLimits(DataSource dataSource, RateLimitStoreProperties properties) {
        return new RateLimits(dataSource, properties);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnBooleanProperty(name = "bulwark.rate-limit.writes.enabled", matchIfMissing = true)
    @EnableConfigurationProperties(WriteLimitProperties.class)
    static class Writes implements WebMvcConfigurer {

        private final WriteLimiter limiter;

        Writes(WriteLimitProperties properties, RateLimits rateLimits, Access access) {
            this.limiter = new WriteLimiter(properties, rateLimits, access);
        }

        @Bean
        WriteLimiter writeLimiter() {
            return limiter;
        }

        @Override
        public void addInterceptors(InterceptorRegistry registry) {
            registry.addInterceptor(limiter);
        }
    }
}
