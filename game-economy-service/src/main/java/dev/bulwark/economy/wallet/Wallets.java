package dev.bulwark.economy.wallet;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.CurrencyGranted;
import dev.bulwark.events.economy.WalletOpened;

@Service
class Wallets {

    private final JdbcClient jdbc;
    private final Ledger ledger;
    private final EconomyProperties properties;

    Wallets(JdbcClient jdbc, Ledger ledger, EconomyProperties properties) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.properties = properties;
    }

    /**
     * Opens a player's wallet with the starter grant, as the first two events of their ledger.
     * Runs inside the consumer's inbox transaction; the ledger's unique (player, sequence) makes
     * a second opening impossible even if the inbox were bypassed.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void open(UUID playerId) {
        ledger.append(playerId, 1, new WalletOpened(playerId));
        Map<Currency, Long> starter = new EnumMap<>(Currency.class);
        starter.put(Currency.GOLD, properties.starterGold());
        starter.put(Currency.GEM, properties.starterGem());
        ledger.append(playerId, 2, new CurrencyGranted(playerId, starter, "STARTER"));
        jdbc.sql("INSERT INTO wallet (player_id, gold, gem, last_sequence) VALUES (:player, :gold, :gem, 2)")
                .param("player", playerId).param("gold", properties.starterGold()).param("gem", properties.starterGem())
                .update();
    }

    @Transactional(readOnly = true)
    Optional<WalletView> find(UUID playerId) {
        return jdbc.sql("SELECT gold, gem, held_gold, held_gem, version FROM wallet WHERE player_id = :player")
                .param("player", playerId)
                .query((rs, n) -> new WalletView(playerId,
                        Map.of(Currency.GOLD, rs.getLong("gold"), Currency.GEM, rs.getLong("gem")),
                        Map.of(Currency.GOLD, rs.getLong("held_gold"), Currency.GEM, rs.getLong("held_gem")),
                        rs.getLong("version")))
                .optional();
    }

    record WalletView(UUID playerId, Map<Currency, Long> balances, Map<Currency, Long> held, long version) {
    }
}
