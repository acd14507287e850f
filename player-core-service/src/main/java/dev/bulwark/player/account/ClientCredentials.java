package dev.bulwark.player.account;

import java.security.MessageDigest;
import java.util.Optional;

import org.springframework.stereotype.Component;


/**
 * Game servers and operators sign in with a configured id and secret. Secrets are compared as
 * SHA-256 digests with {@link MessageDigest#isEqual}, which takes the same time wherever the
 * first difference is, and an unknown id costs the same comparison, so timing reveals nothing.
 */
@Component
class ClientCredentials {

    private static final byte[] NO_SECRET = RefreshTokens.hash("no such client");

    private final AuthProperties properties;

    ClientCredentials(AuthProperties properties) {
        this.properties = properties;
    }

    AuthProperties.Client authenticate(String clientId, String secret) {
        Optional<AuthProperties.Client> client = properties.clients().stream().filter(c -> c.id().equals(clientId))
                .findFirst();
        byte[] expected = client.map(c -> RefreshTokens.hash(c.secret())).orElse(NO_SECRET);
        boolean matches = MessageDigest.isEqual(expected, RefreshTokens.hash(secret));
        if (client.isEmpty() || !matches) {
            throw new SignInRefusal(SignInRefusal.Reason.BAD_CLIENT_CREDENTIALS, "Unknown client or wrong secret");
        }
        return client.get();
    }
}
