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
 * @param loginMaxAttempts login attempts per username within {@code loginWindow} before 429
 * @param clients          game servers and operators that may obtain tokens with a secret
 */
@Validated
@ConfigurationProperties("bulwark.auth")
public record AuthProperties(
        @NotNull Duration refreshTokenTtl,
        @Min(1) int loginMaxAttempts,
        @NotNull Duration loginWindow,
        @Valid List<Client> clients) {

    public AuthProperties {
        clients = clients == null ? List.of() : List.copyOf(clients);
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
