/**
 * The saga engine: definitions as readable lists of steps, the pure state machine, the
 * orchestrator that runs them (one transaction per event, commands through the outbox), the
 * reply listener, deadlines and the saga rows. It knows no paid action; those are definitions in
 * {@code paidaction}.
 */
package dev.bulwark.economy.saga;
