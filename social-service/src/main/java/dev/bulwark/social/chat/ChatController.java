package dev.bulwark.social.chat;

import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.bulwark.social.chat.GuildChat.Message;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** Guild chat for members: post, history, and a live stream that resumes where it left off. */
@RestController
@Validated
class ChatController {

    private final GuildChat chat;
    private final ChatStreams streams;

    ChatController(GuildChat chat, ChatStreams streams) {
        this.chat = chat;
        this.streams = streams;
    }

    @Schema(description = "A chat message: 1 to 500 characters after trimming")
    record PostRequest(@NotNull String text) {
    }

    @Operation(summary = "Post to the guild's chat (members only; 429 with Retry-After when posting too fast)")
    @PostMapping("/api/v1/guilds/{guildId}/messages")
    @PreAuthorize("@access.hasRole('PLAYER')")
    ResponseEntity<Message> post(@PathVariable UUID guildId, @Valid @RequestBody PostRequest request,
            @AuthenticationPrincipal Jwt caller) {
        return ResponseEntity.status(HttpStatus.CREATED).body(chat.post(guildId, player(caller), request.text()));
    }

    @Operation(summary = "History, newest first; page with before=<id of the oldest message seen>")
    @GetMapping("/api/v1/guilds/{guildId}/messages")
    @PreAuthorize("@access.hasRole('PLAYER')")
    List<Message> history(@PathVariable UUID guildId, @RequestParam(required = false) @Min(1) Long before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit, @AuthenticationPrincipal Jwt caller) {
        return chat.history(guildId, player(caller), before, limit);
    }

    @Operation(summary = "Live messages as Server-Sent Events (event id = message id); send Last-Event-ID to "
            + "resume; an event 'closed' ends the stream when the member leaves or is kicked")
    @GetMapping(path = "/api/v1/guilds/{guildId}/messages/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @PreAuthorize("@access.hasRole('PLAYER')")
    SseEmitter stream(@PathVariable UUID guildId,
            @RequestHeader(name = "Last-Event-ID", required = false) @Min(0) Long lastEventId,
            @AuthenticationPrincipal Jwt caller) {
        return streams.open(guildId, player(caller), lastEventId);
    }

    private static UUID player(Jwt caller) {
        return UUID.fromString(caller.getSubject());
    }
}
