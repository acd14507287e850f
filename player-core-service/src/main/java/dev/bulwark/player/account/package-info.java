/**
 * Accounts: registration, login (throttled per username), single-use refresh tokens, client
 * credentials for game servers and operators, and the RS256 token issuer.
 */
package dev.bulwark.player.account;
