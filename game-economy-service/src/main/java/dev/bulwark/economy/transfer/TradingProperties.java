package dev.bulwark.economy.transfer;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The new-account trade restriction: a player may send GOLD or items only once their account is
 * {@code minAccountAge} old and has reached {@code minLevel}. Zero and 1 switch a rule off.
 */
@Validated
@ConfigurationProperties("bulwark.economy.trading")
record TradingProperties(@NotNull Duration minAccountAge, @Min(1) int minLevel) {

    boolean restricts() {
        return !minAccountAge.isZero() || minLevel > 1;
    }
}
