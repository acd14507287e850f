package dev.bulwark.social.guild;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.social.guild.Guilds.GuildView;
import dev.bulwark.social.guild.Guilds.Member;
import dev.bulwark.social.guild.Guilds.Membership;
import dev.bulwark.social.guild.Guilds.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Guilds and membership. Guilds are read by anyone signed in; membership management is for
 * players, and which player may do what (leader, officer, member) is decided in {@link GuildRules}.
 */
@RestController
class GuildController {

    private final Guilds guilds;

    GuildController(Guilds guilds) {
        this.guilds = guilds;
    }

    @Schema(description = "Who joins: the caller themselves")
    record JoinRequest(@NotNull UUID playerId) {
    }

    @Schema(description = "Leader's settings; absent fields stay as they are")
    record GuildSettings(Boolean open, @Min(1) @Max(500) Integer maxMembers) {
    }

    @Operation(summary = "The player's guild and role (404 when in none; a pending join request is not membership)")
    @GetMapping("/api/v1/players/{playerId}/guild")
    @PreAuthorize("isAuthenticated()")
    Membership guildOf(@PathVariable UUID playerId) {
        return guilds.guildOf(playerId).orElseThrow(() -> GuildRefusal.notFound("Guild membership"));
    }

    @GetMapping("/api/v1/guilds/{guildId}")
    @PreAuthorize("isAuthenticated()")
    GuildView guild(@PathVariable UUID guildId) {
        return guilds.find(guildId).orElseThrow(() -> GuildRefusal.notFound("Guild"));
    }

    @Operation(summary = "The guild with this name, compared case-insensitively")
    @GetMapping("/api/v1/guilds")
    @PreAuthorize("isAuthenticated()")
    GuildView guildNamed(@RequestParam String name) {
        return guilds.findByName(name).orElseThrow(() -> GuildRefusal.notFound("Guild"));
    }

    @Operation(summary = "Leader: open or close the guild, change its member cap")
    @PatchMapping("/api/v1/guilds/{guildId}")
    @PreAuthorize("@access.hasRole('PLAYER')")
    GuildView update(@PathVariable UUID guildId, @Valid @RequestBody GuildSettings settings,
            @AuthenticationPrincipal Jwt caller) {
        return guilds.update(guildId, player(caller), settings.open(), settings.maxMembers());
    }

    @Operation(summary = "Join an open guild (201), or file a join request with a closed one (202)")
    @PostMapping("/api/v1/guilds/{guildId}/members")
    @PreAuthorize("@access.isPlayer(#request.playerId())")
    ResponseEntity<Member> join(@PathVariable UUID guildId, @Valid @RequestBody JoinRequest request) {
        Member member = guilds.join(guildId, request.playerId());
        return ResponseEntity.status(member.role() == Role.JOIN_REQUEST ? HttpStatus.ACCEPTED : HttpStatus.CREATED)
                .body(member);
    }

    @Operation(summary = "Leader or officer: admit a player who asked to join")
    @PostMapping("/api/v1/guilds/{guildId}/members/{playerId}/approve")
    @PreAuthorize("@access.hasRole('PLAYER')")
    Member approve(@PathVariable UUID guildId, @PathVariable UUID playerId, @AuthenticationPrincipal Jwt caller) {
        return guilds.approve(guildId, player(caller), playerId);
    }

    @Operation(summary = "Leader or officer: member to officer; leader only: officer to leader (the leader becomes an officer)")
    @PostMapping("/api/v1/guilds/{guildId}/members/{playerId}/promote")
    @PreAuthorize("@access.hasRole('PLAYER')")
    Member promote(@PathVariable UUID guildId, @PathVariable UUID playerId, @AuthenticationPrincipal Jwt caller) {
        return guilds.promote(guildId, player(caller), playerId);
    }

    @Operation(summary = "Officer to member: the leader demotes any officer, an officer only themselves")
    @PostMapping("/api/v1/guilds/{guildId}/members/{playerId}/demote")
    @PreAuthorize("@access.hasRole('PLAYER')")
    Member demote(@PathVariable UUID guildId, @PathVariable UUID playerId, @AuthenticationPrincipal Jwt caller) {
        return guilds.demote(guildId, player(caller), playerId);
    }

    @Operation(summary = "Leave (yourself) or kick (leader: anyone; officer: members and join requests)")
    @DeleteMapping("/api/v1/guilds/{guildId}/members/{playerId}")
    @PreAuthorize("@access.hasRole('PLAYER')")
    ResponseEntity<Void> remove(@PathVariable UUID guildId, @PathVariable UUID playerId,
            @AuthenticationPrincipal Jwt caller) {
        guilds.remove(guildId, player(caller), playerId);
        return ResponseEntity.noContent().build();
    }

    private static UUID player(Jwt caller) {
        return UUID.fromString(caller.getSubject());
    }
}
