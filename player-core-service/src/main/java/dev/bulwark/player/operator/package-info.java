/**
 * Operator accounts for the console: named users with a password and a role (ADMIN, or VIEWER
 * who reads but does not act), signing in for a token whose subject names them, so that every
 * admin audit log names a person. Also the operator-only reads the console needs from
 * player-core (player search).
 */
package dev.bulwark.player.operator;
