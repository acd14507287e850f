package dev.bulwark.player.account;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import dev.bulwark.platform.security.Roles;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Accounts and client credentials.
 *
 * @param loginMaxAttempts            sign-in attempts (login per username, token per client id) from one
 *                                    address within {@code loginWindow} before 429
 * @param loginMaxAttemptsPerUsername sign-in attempts per username or client id within the window from
 *                                    addresses that never signed in to it, before those addresses get 429
 * @param signInsPerAddress           login and token attempts from one address, over all accounts
 * @param registrationsPerAddress     registrations from one address
 * @param signInAddressRetention      how long an address that signed in to an account stays known
 * @param clients                     game servers and operators that may obtain tokens with a secret
 */
@Validated
@ConfigurationProperties("bulwark.auth")
public record AuthProperties(
        @NotNull Duration refreshTokenTtl,
        @Min(1) int loginMaxAttempts,
        @Min(1) int loginMaxAttemptsPerUsername,
        @NotNull Duration loginWindow,
        @Valid @NotNull AddressLimit signInsPerAddress,
        @Valid @NotNull AddressLimit registrationsPerAddress,
        @NotNull Duration signInAddressRetention,
        @Valid List<Client> clients) {

    public AuthProperties {
        clients = clients == null ? List.of() : List.copyOf(clients);
    }

    /** At most {@code capacity} requests per {@code period} from one address, refilled gradually. */
    public record AddressLimit(@Min(1) long capacity, @NotNull Duration period) {
    }

    /** A client-credentials caller; its id is the token's subject (a game server's serverId). */
    public record Client(@NotBlank String id, @NotBlank String secret,
            @NotNull @Pattern(regexp = Roles.GAME_SERVER + "|" + Roles.ADMIN) String role) {

        @Override
        public String toString() {
            return "Client[" + id + ", " + role + "]";
        }
    }

    /** The ids of the configured game servers. */
    public Set<String> gameServers() {
        return clients.stream().filter(c -> Roles.GAME_SERVER.equals(c.role())).map(Client::id)
                .collect(Collectors.toUnmodifiableSet());
    }
}
