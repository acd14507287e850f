package dev.bulwark.social.moderation;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.platform.security.Access;
import dev.bulwark.platform.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Operators' guild and chat moderation (the console): operators (ADMIN or VIEWER) read, only
 * ADMIN acts, and every action is in the moderation audit log under the token's subject.
 */
@RestController
@Validated
class ModerationController {

    private final Moderation moderation;
    private final Access access;

    ModerationController(Moderation moderation, Access access) {
        this.moderation = moderation;
        this.access = access;
    }

    @Schema(description = "Why, kept in the moderation audit log")
    record Reason(@NotBlank @Size(max = 500) String reason) {
    }

    @Schema(description = "How long the member may not post in this guild's chat, and why")
    record MuteRequest(@NotNull @Min(1) @Max(525_600) Integer minutes, @NotBlank @Size(max = 500) String reason) {
    }

    @GetMapping("/api/v1/admin/guilds")
    @PreAuthorize("@access.isOperator()")
    @Operation(summary = "Guilds whose name starts with q (case-insensitive), by name, with member and join-request counts "
            + "and the cap (operators: ADMIN or VIEWER)")
    List<Moderation.GuildSummary> guilds(@RequestParam(defaultValue = "") @Size(max = 64) String q,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        return moderation.search(q, limit);
    }

    @GetMapping("/api/v1/admin/guilds/{guildId}/messages")
    @PreAuthorize("@access.isOperator()")
    @Operation(summary = "A guild's chat as an operator reads it (not a member), newest first (operators)")
    List<Moderation.ChatMessage> messages(@PathVariable UUID guildId, @RequestParam(required = false) Long before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        return moderation.messages(guildId, before, limit);
    }

    @PostMapping("/api/v1/admin/guilds/{guildId}/messages/{messageId}/remove")
    @PreAuthorize("@access.hasRole('ADMIN')")
    @Operation(summary = "Remove a chat message; its text is kept in the moderation audit log (ADMIN). 404 not-found")
    Moderation.Removed remove(@PathVariable UUID guildId, @PathVariable long messageId,
            @Valid @RequestBody Reason reason) {
        return moderation.remove(guildId, messageId, access.subject(), reason.reason());
    }

    @GetMapping("/api/v1/admin/guilds/{guildId}/mutes")
    @PreAuthorize("@access.isOperator()")
    @Operation(summary = "The mutes in force in a guild's chat (operators)")
    List<Moderation.Mute> mutes(@PathVariable UUID guildId) {
        return moderation.mutes(guildId);
    }

    @PutMapping("/api/v1/admin/guilds/{guildId}/mutes/{playerId}")
    @PreAuthorize("@access.hasRole('ADMIN')")
    @Operation(summary = "Mute a player in a guild's chat for some minutes (ADMIN): their posts there are refused with "
            + "403 muted until it ends; muting again replaces the mute")
    Moderation.Mute mute(@PathVariable UUID guildId, @PathVariable UUID playerId,
            @Valid @RequestBody MuteRequest request) {
        return moderation.mute(guildId, playerId, Duration.ofMinutes(request.minutes()), access.subject(),
                request.reason());
    }

    @DeleteMapping("/api/v1/admin/guilds/{guildId}/mutes/{playerId}")
    @PreAuthorize("@access.hasRole('ADMIN')")
    @Operation(summary = "End a mute early (ADMIN); 404 not-found when the player is not muted there")
    ResponseEntity<Void> unmute(@PathVariable UUID guildId, @PathVariable UUID playerId) {
        moderation.unmute(guildId, playerId, access.subject(), "mute lifted");
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/v1/admin/guilds/{guildId}/moderation-log")
    @PreAuthorize("@access.isOperator()")
    @Operation(summary = "The moderation actions on a guild, newest first, each naming its operator (operators)")
    List<Moderation.AuditEntry> auditLog(@PathVariable UUID guildId,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return moderation.auditLog(guildId, limit);
    }

    /** The refusal of a muted member's post; built here, at the web edge, for {@link MutedMembers}. */
    static ApiException muted(Moderation.Mute mute) {
        return new ApiException(HttpStatus.FORBIDDEN, "muted",
                "An operator muted you in this guild's chat until " + mute.until());
    }
}
