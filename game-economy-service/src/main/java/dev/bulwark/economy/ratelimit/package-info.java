/**
 * Per-player rate limits on the economy's writes.
 */
package dev.bulwark.economy.ratelimit;
