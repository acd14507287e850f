/**
 * The catalog: items and offers, reference data seeded by migration.
 */
package dev.bulwark.economy.catalog;
