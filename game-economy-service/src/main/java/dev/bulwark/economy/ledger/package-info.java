/**
 * The ledger: per-player event streams (append, projections, snapshots, replay) and the reads of
 * a player's rows.
 */
package dev.bulwark.economy.ledger;
