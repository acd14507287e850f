/**
 * Player-core's web edge: the one mapping of the modules' domain refusals to problem+json responses.
 */
package dev.bulwark.player.web;
