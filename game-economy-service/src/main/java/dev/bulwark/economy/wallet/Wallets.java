package dev.bulwark.economy.wallet;

import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.bulwark.economy.ledger.Ledger;
import dev.bulwark.economy.ledger.Refusals;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.CurrencyGranted;

@Service
public class Wallets {

    private final Ledger ledger;
    private final EconomyProperties properties;

    Wallets(Ledger ledger, EconomyProperties properties) {
        this.ledger = ledger;
        this.properties = properties;
    }

    /**
     * Opens a player's wallet with the starter grant, as the first two events of their ledger.
     * Runs inside the consumer's inbox transaction on the player's shard; the ledger's unique (player, sequence) makes
     * a second opening impossible even if the inbox were bypassed.
     */
    void open(UUID playerId) {
        Map<Currency, Long> starter = new EnumMap<>(Currency.class);
        starter.put(Currency.GOLD, properties.starterGold());
        starter.put(Currency.GEM, properties.starterGem());
        Ledger.Stream stream = ledger.open(playerId);
        stream.append(new CurrencyGranted(playerId, starter, "STARTER"));
    }

    /**
     * Currency entering the game for a player (a source). Refuses a balance that would overflow.
     * Today only the starter grant and tests use it; loot grants and adjustments will.
     */
    public void grant(UUID playerId, Map<Currency, Long> amounts, String reason) {
        ledger.write(playerId, () -> {
            grantLocked(playerId, amounts, reason);
            return null;
        });
    }

    private void grantLocked(UUID playerId, Map<Currency, Long> amounts, String reason) {
        Ledger.Stream stream = ledger.lock(playerId).orElseThrow(Refusals::walletNotFound);
        for (Map.Entry<Currency, Long> amount : amounts.entrySet()) {
            if (amount.getValue() <= 0) {
                throw new IllegalArgumentException("Grants are positive, was " + amount);
            }
            try {
                Math.addExact(stream.balance(amount.getKey()), Math.addExact(stream.held(amount.getKey()), amount.getValue()));
            } catch (ArithmeticException overflow) {
                throw Refusals.balanceOverflow(amount.getKey());
            }
        }
        stream.append(new CurrencyGranted(playerId, Map.copyOf(amounts), reason));
    }
}
