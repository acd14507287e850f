package dev.bulwark.platform.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** @param anonymousReadsPerAddress GET/HEAD requests without a token from one address (actuator excluded) */
@Validated
@ConfigurationProperties("bulwark.web")
public record WebProperties(@Valid @NotNull AddressLimit anonymousReadsPerAddress) {

    /** At most {@code capacity} requests per {@code period}, refilled gradually. */
    public record AddressLimit(@Min(1) long capacity, @NotNull Duration period) {
    }
}
