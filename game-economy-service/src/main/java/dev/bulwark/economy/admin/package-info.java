/**
 * Operator writes and checks: adjustments (with their audit log), the ledger audit on demand and
 * on a schedule, and control of sagas (list, inspect, retry, cancel).
 */
package dev.bulwark.economy.admin;
