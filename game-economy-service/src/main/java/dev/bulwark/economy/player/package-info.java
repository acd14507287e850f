/**
 * What the economy does with player-core's events: a wallet for every registered player, and the
 * loot fence raised as authority leases change hands.
 */
package dev.bulwark.economy.player;
