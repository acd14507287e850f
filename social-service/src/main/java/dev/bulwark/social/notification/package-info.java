/**
 * Notifications: a persistent inbox per player (friend requests and acceptances, guild decisions,
 * finished purchases, operators' messages), read / unread, paged, kept for a configurable time,
 * produced once per Kafka event through the platform's inbox, and delivered live on the player's
 * stream (which also makes the player present). API: the HTTP endpoints.
 */
package dev.bulwark.social.notification;
