/**
 * The checks shared by everything that moves currency and items: normalising a request and
 * checking it against the locked stream.
 */
package dev.bulwark.economy.movement;
