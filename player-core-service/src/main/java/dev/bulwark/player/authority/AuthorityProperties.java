package dev.bulwark.player.authority;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * @param leaseTtl    how long a lease lives unless the claim asks for less
 * @param maxLeaseTtl the longest lease a game server may ask for
 */
@Validated
@ConfigurationProperties("bulwark.authority")
record AuthorityProperties(@NotNull Duration leaseTtl, @NotNull Duration maxLeaseTtl) {
}
