package dev.bulwark.economy.movement;

import dev.bulwark.events.economy.Currency;
import dev.bulwark.platform.refusal.Refusal;

/**
 * Why a movement of currency or items was refused, in the economy's words: the rules that check
 * requests and locked streams (movements, purchases, holds) throw it before anything is appended,
 * or it rolls the transaction back, so a refused request changes nothing. The economy's web edge
 * gives each reason its status.
 */
public final class MovementRefusal extends Refusal {

    public enum Reason {
        /** A zero, negative (where only positive is allowed) or unrepresentable amount. */
        INVALID_AMOUNT,
        /** A request that moves nothing. */
        EMPTY_CHANGE,
        UNKNOWN_ITEM,
        /** An amount times a quantity (or merged lines) exceeds what a long holds. */
        AMOUNT_TOO_LARGE,
        INSUFFICIENT_FUNDS,
        BALANCE_OVERFLOW,
        MAX_STACK_EXCEEDED,
        ITEMS_NOT_HELD,
        /** The same hold id asked for another amount, or a settled hold asked to settle the other way. */
        HOLD_CONFLICT,
        /** The wallet or the hold does not exist. */
        NOT_FOUND
    }

    private final Reason reason;

    private MovementRefusal(Reason reason, String detail) {
        super(reason, detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static MovementRefusal invalidAmount(String detail) {
        return new MovementRefusal(Reason.INVALID_AMOUNT, detail);
    }

    static MovementRefusal emptyChange() {
        return new MovementRefusal(Reason.EMPTY_CHANGE, "Nothing to move: give currency or items");
    }

    static MovementRefusal unknownItem(String itemId) {
        return new MovementRefusal(Reason.UNKNOWN_ITEM, "There is no item " + itemId);
    }

    public static MovementRefusal amountTooLarge() {
        return new MovementRefusal(Reason.AMOUNT_TOO_LARGE, "The quantity makes the amount exceed its maximum");
    }

    public static MovementRefusal insufficientFunds(Currency currency, long needed, long available) {
        return new MovementRefusal(Reason.INSUFFICIENT_FUNDS,
                "Needs " + needed + " " + currency + " but only " + available + " is spendable");
    }

    static MovementRefusal balanceOverflow(Currency currency) {
        return new MovementRefusal(Reason.BALANCE_OVERFLOW, "The " + currency + " balance would exceed its maximum");
    }

    static MovementRefusal maxStackExceeded(String itemId, long maxStack, long wouldHave) {
        return new MovementRefusal(Reason.MAX_STACK_EXCEEDED,
                "At most " + maxStack + " of " + itemId + " fit in one stack; this would make " + wouldHave);
    }

    static MovementRefusal itemsNotHeld(String itemId, long needed, long held) {
        return new MovementRefusal(Reason.ITEMS_NOT_HELD, "Needs " + needed + " " + itemId + " but the player holds " + held);
    }

    public static MovementRefusal holdConflict(String detail) {
        return new MovementRefusal(Reason.HOLD_CONFLICT, detail);
    }

    public static MovementRefusal walletNotFound() {
        return new MovementRefusal(Reason.NOT_FOUND, "Wallet not found");
    }

    public static MovementRefusal holdNotFound() {
        return new MovementRefusal(Reason.NOT_FOUND, "Hold not found");
    }
}
