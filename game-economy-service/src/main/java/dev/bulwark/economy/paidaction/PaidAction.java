package dev.bulwark.economy.paidaction;

import java.util.Map;
import java.util.UUID;

import dev.bulwark.economy.saga.ParticipantResults;
import dev.bulwark.events.economy.Currency;

/**
 * The data of a paid action's saga: who pays what for which offer, the offer's parameters
 * (e.g. {@code guildName}) and what the participant returned (e.g. {@code guildId}). The saga
 * id is the purchase id and the hold id.
 */
public record PaidAction(UUID playerId, String offerId, Currency currency, long price, Map<String, String> params,
        Map<String, String> result) implements ParticipantResults {

    public PaidAction {
        params = params == null ? Map.of() : Map.copyOf(params);
        result = result == null ? Map.of() : Map.copyOf(result);
    }

    PaidAction withResult(Map<String, String> result) {
        return new PaidAction(playerId, offerId, currency, price, params, result);
    }

    String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalStateException(offerId + " needs params." + name);
        }
        return value;
    }
}
