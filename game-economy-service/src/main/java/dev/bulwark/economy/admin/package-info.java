/**
 * Operator writes and checks: adjustments (with their audit log) and the ledger audit, on demand
 * and on a schedule.
 */
package dev.bulwark.economy.admin;
