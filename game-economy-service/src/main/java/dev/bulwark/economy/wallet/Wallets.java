package dev.bulwark.economy.wallet;

import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.bulwark.economy.ledger.Ledger;
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
    public void open(UUID playerId) {
        Map<Currency, Long> starter = new EnumMap<>(Currency.class);
        starter.put(Currency.GOLD, properties.starterGold());
        starter.put(Currency.GEM, properties.starterGem());
        Ledger.Stream stream = ledger.open(playerId);
        stream.append(new CurrencyGranted(playerId, starter, "STARTER"));
    }
}
