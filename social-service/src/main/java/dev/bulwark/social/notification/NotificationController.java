package dev.bulwark.social.notification;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.bulwark.social.notification.Notifications.Kind;
import dev.bulwark.social.notification.Notifications.Notification;
import dev.bulwark.social.notification.Notifications.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A player's inbox, for that player alone; operators may write into it. */
@RestController
@Validated
class NotificationController {

    private final Notifications notifications;
    private final NotificationStreams streams;

    NotificationController(Notifications notifications, NotificationStreams streams) {
        this.notifications = notifications;
        this.streams = streams;
    }

    @Schema(description = "An operator's message to a player (1–500 characters)")
    record MessageRequest(@NotBlank @Size(max = 500) String text) {
    }

    @Operation(summary = "The player's notifications, newest first, with the unread count; a page at a time")
    @ApiResponse(responseCode = "400", description = "invalid-request: a cursor this service did not give")
    @GetMapping("/api/v1/players/{playerId}/notifications")
    @PreAuthorize("@access.isPlayer(#playerId)")
    Page list(@PathVariable UUID playerId, @RequestParam(defaultValue = "false") boolean unread,
            @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        Long before;
        try {
            before = cursor == null ? null : Long.valueOf(cursor);
        } catch (NumberFormatException e) {
            throw new NotificationRefusal(NotificationRefusal.Reason.INVALID_REQUEST, "Not a cursor this service gave");
        }
        return notifications.page(playerId, unread, before, limit);
    }

    @Operation(summary = "Marks a notification read (again: no change)")
    @ApiResponse(responseCode = "204", description = "read")
    @ApiResponse(responseCode = "404", description = "not-found: the player has no such notification")
    @PostMapping("/api/v1/players/{playerId}/notifications/{notificationId}/read")
    @PreAuthorize("@access.isPlayer(#playerId)")
    ResponseEntity<Void> read(@PathVariable UUID playerId, @PathVariable UUID notificationId) {
        if (!notifications.markRead(playerId, notificationId)) {
            throw new NotificationRefusal(NotificationRefusal.Reason.NOT_FOUND, "Notification not found");
        }
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Live notifications (Server-Sent Events 'notification', id = the inbox position); resumes "
            + "after Last-Event-ID; while it is open the player is present (ONLINE or AWAY) to their friends")
    @GetMapping(path = "/api/v1/players/{playerId}/notifications/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @PreAuthorize("@access.isPlayer(#playerId)")
    SseEmitter stream(@PathVariable UUID playerId,
            @Parameter(description = "the id of the last event received") @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId) {
        return streams.open(playerId, lastEventId);
    }

    @Operation(summary = "Operators: a message into a player's inbox")
    @ApiResponse(responseCode = "201", description = "the notification")
    @PostMapping("/api/v1/admin/players/{playerId}/notifications")
    @PreAuthorize("@access.hasRole('ADMIN')")
    ResponseEntity<Notification> message(@PathVariable UUID playerId, @Valid @RequestBody MessageRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(notifications.add(playerId, Kind.OPERATOR_MESSAGE, null, request.text().strip(), null));
    }
}
