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
    AuthResponse register(@Valid @RequestBody RegisterRequest request) {
        return accounts.register(request);
    }

    @PostMapping("/api/v1/auth/login")
    AuthResponse login(@Valid @RequestBody LoginRequest request) {
        return accounts.login(request);
    }

    @GetMapping("/.well-known/jwks.json")
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

record RegisterRequest(
        @NotBlank @Size(min = 3, max = 32) @Pattern(regexp = "[A-Za-z0-9_.-]+") String username,
        @NotBlank @Size(min = 10, max = 128) String password,
        @Size(min = 3, max = 32) @Pattern(regexp = "[\\p{L}\\p{N} _.-]+") String displayName) {
}

record LoginRequest(@NotBlank @Size(max = 32) String username, @NotBlank @Size(max = 128) String password) {
}

record AuthResponse(UUID playerId, String accessToken, long expiresIn) {
}
