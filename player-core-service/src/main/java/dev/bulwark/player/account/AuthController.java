package dev.bulwark.player.account;

import java.util.Map;
import java.util.UUID;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.platform.web.ClientAddress;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

@RestController
class AuthController {

    private final Accounts accounts;
    private final TokenIssuer tokens;

    AuthController(Accounts accounts, TokenIssuer tokens) {
        this.accounts = accounts;
        this.tokens = tokens;
    }

    @PostMapping("/api/v1/auth/register")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an account; 400 unknown-region for a region this installation does not run; 409 name-taken when the username or display name is taken (case-insensitive, "
            + "look-alikes included); 429 after too many registrations from one address")
    AuthResponse register(@Valid @RequestBody RegisterRequest request, HttpServletRequest http) {
        return accounts.register(request, ClientAddress.of(http));
    }

    @PostMapping("/api/v1/auth/login")
    @Operation(summary = "Sign in; 401 bad-credentials, 403 banned, 429 (with Retry-After) after repeated attempts for a "
            + "username from one address, from addresses new to the account, or from one address over all accounts")
    AuthResponse login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        return accounts.login(request, ClientAddress.of(http));
    }

    @PostMapping("/api/v1/auth/refresh")
    @Operation(summary = "Trade a refresh token for a new pair; a used, revoked or expired one is 401, and reusing one revokes its family")
    AuthResponse refresh(@Valid @RequestBody RefreshRequest request) {
        return accounts.refresh(request);
    }

    @PostMapping("/api/v1/auth/token")
    @Operation(summary = "Client credentials for configured game servers (GAME_SERVER, subject = server id) and operators "
            + "(ADMIN); 401 bad-client-credentials, 429 (with Retry-After) after repeated attempts, as login")
    ClientTokenResponse token(@Valid @RequestBody ClientTokenRequest request, HttpServletRequest http) {
        return accounts.clientToken(request, ClientAddress.of(http));
    }

    @GetMapping("/.well-known/jwks.json")
    @Operation(summary = "The public key that verifies access tokens and authority leases")
    Map<String, Object> jwks() {
        return tokens.jwks();
    }

    @Configuration(proxyBeanMethods = false)
    static class PasswordConfiguration {

        /** bcrypt: deliberately slow, so a leaked table is expensive to crack. */
        @Bean
        PasswordEncoder passwordEncoder() {
            return PasswordEncoderFactories.createDelegatingPasswordEncoder();
        }
    }
}

@Schema(description = "Username: 3-32 of A-Z a-z 0-9 _ . -; password: 10-128 characters, not containing the username; display name: 3-32 letters, digits, "
        + "space _ . - (defaults to the username); both names unique whatever their case")
record RegisterRequest(
        @NotBlank @Size(min = 3, max = 32) @Pattern(regexp = "[A-Za-z0-9_.-]+") String username,
        @NotBlank @Size(min = 10, max = 128) String password,
        @Size(min = 3, max = 32) @Pattern(regexp = DisplayNames.PATTERN) String displayName,
        @Schema(description = "defaults to ADVENTURER") CharacterClass characterClass,
        @Schema(description = "the player's home region, one this installation runs (unknown-region otherwise); "
                + "defaults to the configured default home") @Size(max = 64) String region) {
}

record LoginRequest(@NotBlank @Size(max = 32) String username, @NotBlank @Size(max = 128) String password) {
}

record RefreshRequest(@NotBlank @Size(max = 128) String refreshToken) {
}

record ClientTokenRequest(@NotBlank @Size(max = 64) String clientId, @NotBlank @Size(max = 256) String clientSecret) {
}

@Schema(description = "A player's tokens: a short-lived access token and a single-use refresh token")
record AuthResponse(UUID playerId, String accessToken, String refreshToken,
        @Schema(description = "access token lifetime in seconds") long expiresIn) {
}

record ClientTokenResponse(String accessToken, long expiresIn) {
}
