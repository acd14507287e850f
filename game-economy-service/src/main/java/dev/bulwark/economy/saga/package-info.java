/**
 * Sagas: the orchestrator of paid actions whose effect lives in another service (hold, command,
 * capture or release), their deadlines, crash points for drills and the operators' saga endpoints.
 */
package dev.bulwark.economy.saga;
