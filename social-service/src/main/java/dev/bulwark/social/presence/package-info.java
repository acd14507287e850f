/**
 * Presence: online, in game, away or offline, with the last time the player was seen; from the
 * player's live notification stream (on any instance) and from player-core's authority events,
 * persisted so that a restart of social does not show everyone offline; visible to the player,
 * their friends and operators. API: {@link dev.bulwark.social.presence.Presence} (the streams
 * report connections), the HTTP endpoints.
 */
package dev.bulwark.social.presence;
