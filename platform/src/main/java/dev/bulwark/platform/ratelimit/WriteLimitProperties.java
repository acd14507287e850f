package dev.bulwark.platform.ratelimit;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * The write limit of every service: per caller, a token bucket of {@code capacity} tokens that
 * refills {@code refill} tokens every {@code period}, for every POST, PUT, PATCH and DELETE;
 * {@code routes} give path patterns (Spring's {@code PathPattern}, e.g.
 * {@code /api/v1/players/*}{@code /grants}) their own bucket and settings, the first match winning.
 * {@code bulwark.rate-limit.writes.enabled: false} switches the limit off.
 */
@Validated
@ConfigurationProperties("bulwark.rate-limit.writes")
public record WriteLimitProperties(@Positive long capacity, @Positive long refill,
        @NotNull Duration period, @DefaultValue({}) List<@Valid Route> routes) {

    public record Route(@NotBlank String pattern, @Positive long capacity, @Positive long refill, @NotNull Duration period) {
    }
}
