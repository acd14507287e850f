package dev.bulwark.platform.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * How tokens are checked. Every service validates with the public key from configuration (no
 * runtime call to player-core) and checks issuer and audience.
 *
 * @param openPaths request patterns reachable without a token, beyond health and API docs
 */
@Validated
@ConfigurationProperties("bulwark.security")
public record SecurityProperties(
        @NotBlank String issuer,
        @NotBlank String audience,
        @NotNull Resource publicKeyLocation,
        List<String> openPaths) {

    public SecurityProperties {
        openPaths = openPaths == null ? List.of() : List.copyOf(openPaths);
    }
}
