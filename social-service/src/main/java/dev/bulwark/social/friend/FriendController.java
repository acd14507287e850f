package dev.bulwark.social.friend;

import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
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
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.bulwark.social.friend.Friends.Relation;
import dev.bulwark.social.friend.Friends.State;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** A player's friends, invitations and blocks; only the player reads or changes them. */
@RestController
@Validated
class FriendController {

    private final Friends friends;

    FriendController(Friends friends) {
        this.friends = friends;
    }

    @Schema(description = "Befriend a player: an invitation, or the acceptance of theirs")
    record FriendRequest(@NotNull UUID friendId) {
    }

    @Operation(summary = "Request a friendship; accepts when the other player already asked")
    @PostMapping("/api/v1/players/{playerId}/friends")
    @PreAuthorize("@access.isPlayer(#playerId)")
    Relation request(@PathVariable UUID playerId, @Valid @RequestBody FriendRequest request) {
        return friends.request(playerId, request.friendId());
    }

    @Operation(summary = "Accept a pending invitation (409 when there is none)")
    @PostMapping("/api/v1/players/{playerId}/friends/{friendId}/accept")
    @PreAuthorize("@access.isPlayer(#playerId)")
    Relation accept(@PathVariable UUID playerId, @PathVariable UUID friendId) {
        return friends.accept(playerId, friendId);
    }

    @Operation(summary = "Relations by state, ordered by player id; a Link header points at the next page. "
            + "Readable by the player, and by game servers and operators (the player query shows friends to them)")
    @GetMapping("/api/v1/players/{playerId}/friends")
    @PreAuthorize("@access.isPlayerOrTrusted(#playerId)")
    ResponseEntity<List<Relation>> list(@PathVariable UUID playerId, @RequestParam(required = false) State state,
            @RequestParam(required = false) UUID after,
            @RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit) {
        List<Relation> page = friends.list(playerId, state, after, limit);
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (page.size() == limit) {
            String next = ServletUriComponentsBuilder.fromCurrentRequest()
                    .replaceQueryParam("after", page.getLast().playerId()).toUriString();
            response.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return response.body(page);
    }

    @Operation(summary = "Remove a friend, withdraw or decline an invitation")
    @DeleteMapping("/api/v1/players/{playerId}/friends/{friendId}")
    @PreAuthorize("@access.isPlayer(#playerId)")
    ResponseEntity<Void> remove(@PathVariable UUID playerId, @PathVariable UUID friendId) {
        friends.remove(playerId, friendId);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Block a player: ends any friendship or invitation, refuses requests both ways")
    @PutMapping("/api/v1/players/{playerId}/blocks/{otherId}")
    @PreAuthorize("@access.isPlayer(#playerId)")
    Relation block(@PathVariable UUID playerId, @PathVariable UUID otherId) {
        return friends.block(playerId, otherId);
    }

    @Operation(summary = "Lift a block")
    @DeleteMapping("/api/v1/players/{playerId}/blocks/{otherId}")
    @PreAuthorize("@access.isPlayer(#playerId)")
    ResponseEntity<Void> unblock(@PathVariable UUID playerId, @PathVariable UUID otherId) {
        friends.unblock(playerId, otherId);
        return ResponseEntity.noContent().build();
    }
}
