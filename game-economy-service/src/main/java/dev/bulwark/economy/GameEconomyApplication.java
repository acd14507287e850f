package dev.bulwark.economy;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Wallets, items, the ledger, purchases, transfers and the saga orchestrator. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GameEconomyApplication {

    public static void main(String[] args) {
        SpringApplication.run(GameEconomyApplication.class, args);
    }
}
