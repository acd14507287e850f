package dev.bulwark.economy.idempotency;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * @param retention       how long a key is remembered; the contract promises at least 7 days
 * @param cleanupInterval how often expired keys are deleted
 */
@Validated
@ConfigurationProperties("bulwark.economy.idempotency")
record IdempotencyProperties(@NotNull Duration retention, @NotNull Duration cleanupInterval) {

    IdempotencyProperties {
        if (retention != null && retention.compareTo(Duration.ofDays(7)) < 0) {
            throw new IllegalArgumentException("Idempotency keys are kept at least 7 days, not " + retention);
        }
    }
}
