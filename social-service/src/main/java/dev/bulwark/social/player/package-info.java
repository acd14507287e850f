/**
 * Known players: the local projection of {@code PlayerRegistered}, which the friend rules
 * consult (only known players can be befriended). No Java API: other modules read its table.
 */
package dev.bulwark.social.player;
