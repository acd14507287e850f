package dev.bulwark.economy.transfer;

import dev.bulwark.platform.refusal.Refusal;

/** Why a transfer was refused before either stream was touched; the economy's web edge gives each reason its status. */
public final class TransferRefusal extends Refusal {

    public enum Reason {
        SELF_TRANSFER,
        /** GEM, or a soulbound item. */
        UNTRADABLE,
        /** The sender's account is too young or too low in level to send GOLD or items. */
        NEW_ACCOUNT_RESTRICTED
    }

    private final Reason reason;

    TransferRefusal(Reason reason, String detail) {
        super(reason, detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
