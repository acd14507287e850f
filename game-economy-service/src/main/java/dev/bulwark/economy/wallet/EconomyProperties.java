package dev.bulwark.economy.wallet;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.PositiveOrZero;

/** @param starterGold and {@code starterGem}: what a new player's wallet opens with */
@Validated
@ConfigurationProperties("bulwark.economy")
record EconomyProperties(@PositiveOrZero long starterGold, @PositiveOrZero long starterGem) {
}
