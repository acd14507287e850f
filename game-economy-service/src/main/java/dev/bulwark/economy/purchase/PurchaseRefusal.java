package dev.bulwark.economy.purchase;

import dev.bulwark.platform.refusal.Refusal;

/** Why a purchase was refused before anything was paid; the economy's web edge gives each reason its status. */
public final class PurchaseRefusal extends Refusal {

    public enum Reason {
        UNKNOWN_OFFER,
        /** A quantity below one. */
        INVALID_REQUEST,
        /** The offer needs a parameter the request did not give (e.g. {@code guildName}). */
        MISSING_PARAMETER,
        /** A quantity the offer cannot be bought in (remote-effect offers are bought one at a time). */
        INVALID_QUANTITY
    }

    private final Reason reason;

    private PurchaseRefusal(Reason reason, String detail) {
        super(reason, detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static PurchaseRefusal unknownOffer(String detail) {
        return new PurchaseRefusal(Reason.UNKNOWN_OFFER, detail);
    }

    public static PurchaseRefusal invalidQuantity(String detail) {
        return new PurchaseRefusal(Reason.INVALID_QUANTITY, detail);
    }

    static PurchaseRefusal invalidRequest(String detail) {
        return new PurchaseRefusal(Reason.INVALID_REQUEST, detail);
    }

    static PurchaseRefusal missingParameter(String detail) {
        return new PurchaseRefusal(Reason.MISSING_PARAMETER, detail);
    }
}
