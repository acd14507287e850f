package dev.bulwark.events.social;

import java.time.Instant;
import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * How one player now relates to another, as that player sees it. A transition that changes both
 * sides (a request, an accept) is two events, one per player's stream.
 *
 * @param state FRIEND, INVITE_SENT, INVITE_RECEIVED, BLOCKED, or NONE when the relation is gone
 */
public record FriendshipChanged(UUID playerId, UUID otherId, String state, Instant changedAt) implements Payload {
}
