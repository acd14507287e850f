package dev.bulwark.player.account;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import dev.bulwark.platform.web.ApiException;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;

/**
 * The regions a player may call home. Social runs one deployment per region; player-core and the
 * economy stay single-region (one authority for money and items), so the home region only says
 * which social deployment holds the player's friends, guild and chat.
 *
 * @param available   the regions this installation runs social in
 * @param defaultHome the home region of a player who registers without naming one; also the home
 *                    region migration V22 gave every player registered before regions existed
 */
@Validated
@ConfigurationProperties("bulwark.regions")
record Regions(@NotEmpty List<@NotBlank String> available, @NotBlank String defaultHome) {

    Regions {
        available = List.copyOf(available);
        if (!available.contains(defaultHome)) {
            throw new IllegalArgumentException("bulwark.regions.default-home (" + defaultHome
                    + ") must be one of bulwark.regions.available " + available);
        }
    }

    /** The home region a registration asked for, or the default; an unknown one is refused. */
    String homeFor(String requested) {
        if (requested == null) {
            return defaultHome;
        }
        if (!available.contains(requested)) {
            throw ApiException.badRequest("unknown-region", "No region '" + requested + "'; this installation runs "
                    + String.join(", ", available));
        }
        return requested;
    }
}
