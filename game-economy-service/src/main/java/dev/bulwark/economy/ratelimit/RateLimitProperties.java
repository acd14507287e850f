package dev.bulwark.economy.ratelimit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * Writes per player: a token bucket of {@code burst} tokens that refills {@code refill} tokens
 * every {@code period}.
 */
@Validated
@ConfigurationProperties("bulwark.economy.rate-limit")
record RateLimitProperties(@Positive long burst, @Positive long refill, @NotNull Duration period) {
}
