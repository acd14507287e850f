/**
 * Authority: which game server may write a player's state, as a signed lease with a fencing
 * epoch (claim, renew, hand over, release).
 */
package dev.bulwark.player.authority;
