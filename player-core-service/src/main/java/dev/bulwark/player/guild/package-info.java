/**
 * Guild memberships projected from social's guild events, so the player query needs no call to social.
 */
package dev.bulwark.player.guild;
