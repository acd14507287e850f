package dev.bulwark.economy.wallet;

import java.util.UUID;

import org.springframework.context.ApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/** Opens wallets directly, as the PlayerRegistered consumer does, for tests that need a player now. */
public final class TestPlayers {

    private TestPlayers() {
    }

    /** A new player whose wallet holds the starter grant. */
    public static UUID open(ApplicationContext context) {
        UUID player = UUID.randomUUID();
        Wallets wallets = context.getBean(Wallets.class);
        context.getBean(TransactionTemplate.class).executeWithoutResult(status -> wallets.open(player));
        return player;
    }
}
