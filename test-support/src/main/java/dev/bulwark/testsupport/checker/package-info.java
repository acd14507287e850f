/**
 * A checker of acknowledged operations, after Jepsen's: clients record every attempt of every
 * operation (its Idempotency-Key, outcome and time) in a {@link dev.bulwark.testsupport.checker.History};
 * after the run {@link dev.bulwark.testsupport.checker.AckChecker} reads the ledgers and says what
 * was lost, applied twice or applied without being acknowledged, whether balances went negative
 * or money drifted, and how long clients went without an answer.
 */
package dev.bulwark.testsupport.checker;
