package dev.bulwark.player.profile;

import java.time.Instant;
import java.util.UUID;

import dev.bulwark.player.account.CharacterClass;
import io.swagger.v3.oas.annotations.media.Schema;

@Schema(description = "A player's profile and progression. Level curve: reaching level L takes 50·L·(L−1) experience in "
        + "total (level 2 at 100, 3 at 300, 10 at 4,500, the top level 100 at 495,000)")
public record PlayerView(
        UUID playerId,
        String username,
        String displayName,
        CharacterClass characterClass,
        int level,
        long experience,
        @Schema(description = "experience at which the next level starts; null at the top level") Long nextLevelAt,
        Stats stats,
        @Schema(description = "the game server holding the player, null when none holds a live lease") Authority authority,
        String avatar,
        String language,
        @Schema(description = "the region whose social deployment holds the player's friends, guild and chat; "
                + "chosen at registration") String homeRegion,
        @Schema(description = "optimistic version; send it back (If-Match or version) to change settings") long version) {

    @Schema(description = "hp 1-9999, mp 0-9999, strength 1-999, agility 1-999")
    public record Stats(int hp, int mp, int strength, int agility) {
    }

    public record Authority(String serverId, long epoch, Instant expiresAt) {
    }
}
