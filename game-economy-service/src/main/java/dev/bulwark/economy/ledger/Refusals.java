package dev.bulwark.economy.ledger;

import org.springframework.http.HttpStatus;

import dev.bulwark.events.economy.Currency;
import dev.bulwark.platform.web.ApiException;

/**
 * The economy's refusals, with their stable problem types. Thrown before anything is appended,
 * or rolling the transaction back: a refused request changes nothing.
 */
public final class Refusals {

    private Refusals() {
    }

    public static ApiException insufficientFunds(Currency currency, long needed, long available) {
        return ApiException.conflict("insufficient-funds",
                "Needs " + needed + " " + currency + " but only " + available + " is spendable");
    }

    public static ApiException balanceOverflow(Currency currency) {
        return ApiException.conflict("balance-overflow", "The " + currency + " balance would exceed its maximum");
    }

    public static ApiException maxStackExceeded(String itemId, long maxStack, long wouldHave) {
        return ApiException.conflict("max-stack-exceeded",
                "At most " + maxStack + " of " + itemId + " fit in one stack; this would make " + wouldHave);
    }

    public static ApiException amountTooLarge() {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "amount-too-large",
                "The quantity makes the amount exceed its maximum");
    }

    public static ApiException walletNotFound() {
        return ApiException.notFound("Wallet");
    }
}
