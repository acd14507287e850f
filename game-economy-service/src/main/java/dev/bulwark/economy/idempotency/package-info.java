/**
 * Idempotency-Keys: a mutating request runs at most once per key, scoped to (caller, route),
 * with its stored response.
 */
package dev.bulwark.economy.idempotency;
