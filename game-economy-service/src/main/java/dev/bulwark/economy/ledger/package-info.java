/**
 * The ledger: per-player event streams (append, the SQL projections, snapshots, replay) and the
 * reads of a player's rows. The event store and its projections only: routing lives in
 * {@code sharding}, refusals with the rules that make them, endpoints with their features.
 */
package dev.bulwark.economy.ledger;
