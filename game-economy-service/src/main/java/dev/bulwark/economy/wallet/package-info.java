/**
 * Wallets: opening them with the starter grant, holds for sagas, the wallet read endpoint.
 */
package dev.bulwark.economy.wallet;
