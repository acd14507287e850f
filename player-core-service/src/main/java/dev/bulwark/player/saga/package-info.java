/**
 * Player-core's part in the economy's sagas: {@code xp-boost} and {@code name-change}.
 */
package dev.bulwark.player.saga;
