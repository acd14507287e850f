/**
 * Purchases of local offers, and the seam to the sagas for offers whose effect lives elsewhere.
 */
package dev.bulwark.economy.purchase;
