/**
 * Wallets: opening them on registration, holds for sagas, the wallet read endpoint.
 */
package dev.bulwark.economy.wallet;
