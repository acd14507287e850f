package dev.bulwark.economy.saga;

/** Where a saga instance stands. */
public enum SagaState {
    /** Running local steps (never observed outside a transaction). */
    RUNNING,
    /** A participant command is out; its reply is awaited until the deadline. */
    WAITING,
    /** The deadline passed; a Cancel is out and the participant's answer is awaited. Funds stay held. */
    CANCELLING,
    /** Every step done. */
    COMPLETED,
    /** A participant refused; local steps were compensated. */
    FAILED,
    /** A participant confirmed the cancel; local steps were compensated. */
    CANCELLED;

    public boolean finished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
