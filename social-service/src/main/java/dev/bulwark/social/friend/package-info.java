/**
 * Friends: friendships, invitations and blocks between known players (a block wins over every
 * request). API: the HTTP endpoints, and {@link dev.bulwark.social.friend.FriendRefusal} for the
 * web edge.
 */
package dev.bulwark.social.friend;
