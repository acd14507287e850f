/**
 * Transfers between two players: both sides in one transaction, or neither.
 */
package dev.bulwark.economy.transfer;
