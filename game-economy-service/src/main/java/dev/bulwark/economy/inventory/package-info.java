/**
 * The inventory read endpoint.
 */
package dev.bulwark.economy.inventory;
