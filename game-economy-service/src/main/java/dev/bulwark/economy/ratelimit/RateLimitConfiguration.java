package dev.bulwark.economy.ratelimit;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration
class RateLimitConfiguration implements WebMvcConfigurer {

    private final PlayerWriteRateLimiter limiter;

    RateLimitConfiguration(PlayerWriteRateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(limiter).addPathPatterns("/api/v1/players/*/**");
    }
}
