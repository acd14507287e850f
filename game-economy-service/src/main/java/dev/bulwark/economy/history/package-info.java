/**
 * A player's ledger as a paged read endpoint: the history behind the wallet and the inventory.
 */
package dev.bulwark.economy.history;
