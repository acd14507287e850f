/**
 * Operator bans: the ban list, revoked refresh tokens and {@code PlayerBanned}, in one transaction.
 */
package dev.bulwark.player.admin;
