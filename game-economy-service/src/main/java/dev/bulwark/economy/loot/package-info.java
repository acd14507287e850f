/**
 * Loot and consumptions from the game server holding a player, behind the per-player fence of
 * lease epochs.
 */
package dev.bulwark.economy.loot;
