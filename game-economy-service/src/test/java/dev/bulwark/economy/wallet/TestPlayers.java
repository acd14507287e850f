package dev.bulwark.economy.wallet;

import java.util.List;
import java.util.UUID;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.economy.ledger.Ledger;

/** Opens wallets directly, as the PlayerRegistered consumer does, for tests that need a player now. */
public final class TestPlayers {

    private TestPlayers() {
    }

    /** A new player whose wallet holds the starter grant. */
    public static UUID open(ApplicationContext context) {
        UUID player = UUID.randomUUID();
        return open(context, player);
    }

    /** Opens this player's wallet, on the player's shard, with the starter grant. */
    public static UUID open(ApplicationContext context, UUID player) {
        Wallets wallets = context.getBean(Wallets.class);
        context.getBean(Ledger.class).write(player, () -> {
            wallets.open(player);
            return null;
        });
        return player;
    }

    /** Spendable GOLD, read from the projection. */
    public static long gold(JdbcClient jdbc, UUID player) {
        return jdbc.sql("SELECT gold FROM wallet WHERE player_id = :p").param("p", player).query(Long.class).single();
    }

    /** How many of an item the player holds (0 when none). */
    public static long quantity(JdbcClient jdbc, UUID player, String item) {
        return jdbc.sql("SELECT quantity FROM inventory_item WHERE player_id = :p AND item_id = :i")
                .param("p", player).param("i", item).query(Long.class).optional().orElse(0L);
    }

    /** The types of the player's ledger events, in sequence order. */
    public static List<String> ledgerTypes(JdbcClient jdbc, UUID player) {
        return jdbc.sql("SELECT type FROM ledger_event WHERE player_id = :p ORDER BY sequence").param("p", player)
                .query(String.class).list();
    }
}
