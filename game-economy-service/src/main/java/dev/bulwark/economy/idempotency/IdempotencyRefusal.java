package dev.bulwark.economy.idempotency;

import dev.bulwark.platform.refusal.Refusal;

/** Why a request's Idempotency-Key was refused; the economy's web edge gives each reason its status. */
public final class IdempotencyRefusal extends Refusal {

    public enum Reason {
        /** Empty, longer than 255 characters, or not visible ASCII. */
        INVALID_IDEMPOTENCY_KEY,
        /** The key was used with another request body. */
        IDEMPOTENCY_KEY_REUSED
    }

    private final Reason reason;

    IdempotencyRefusal(Reason reason, String detail) {
        super(reason, detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
