/**
 * Paid actions whose effect lives in another service (guild charter, xp boost, name change):
 * each a saga definition of hold → command → capture or release, run by the saga engine, and the
 * purchases that start them.
 */
package dev.bulwark.economy.paidaction;
