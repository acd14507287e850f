/**
 * The checks shared by everything that moves currency and items: normalising a request and
 * checking it against the locked stream (the one overflow and max-stack check), and the
 * refusals they raise.
 */
package dev.bulwark.economy.movement;
