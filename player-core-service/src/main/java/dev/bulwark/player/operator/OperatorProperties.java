package dev.bulwark.player.operator;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Operator accounts.
 *
 * @param tokenTtl              lifetime of an operator's access token (the console signs in again after it)
 * @param signInsPerOperator    sign-in attempts per operator username per {@code signInPeriod}, over all addresses
 * @param signInsPerAddress     operator sign-in attempts from one address per {@code signInPeriod}
 * @param signInPeriod          the period of both sign-in limits, refilled gradually
 * @param bootstrapUsername     the first ADMIN, created at start-up while no operator exists (empty: none)
 * @param bootstrapPassword     its password; must be set with the username
 */
@Validated
@ConfigurationProperties("bulwark.operators")
record OperatorProperties(
        @NotNull Duration tokenTtl,
        @Min(1) long signInsPerOperator,
        @Min(1) long signInsPerAddress,
        @NotNull Duration signInPeriod,
        String bootstrapUsername,
        String bootstrapPassword) {

    boolean bootstraps() {
        return bootstrapUsername != null && !bootstrapUsername.isBlank();
    }

    @Override
    public String toString() {
        return "OperatorProperties[" + tokenTtl + ", bootstrap " + bootstrapUsername + "]";
    }
}
