package dev.bulwark.player;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Accounts and tokens, profile, progression and game-server authority over players. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PlayerCoreApplication {

    public static void main(String[] args) {
        SpringApplication.run(PlayerCoreApplication.class, args);
    }
}
