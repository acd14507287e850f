/**
 * Profile and progression: settings, experience on the level curve, stats, XP boosts.
 */
package dev.bulwark.player.profile;
