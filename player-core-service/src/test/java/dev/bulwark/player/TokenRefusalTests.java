package dev.bulwark.player;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;

/** Tokens that must not work, each refused with a 401 problem whatever the endpoint. */
@IntegrationTest
class TokenRefusalTests {

    @LocalServerPort
    int port;

    Api api;
    UUID playerId;
    String path;

    @BeforeEach
    void player() {
        api = new Api(port);
        playerId = UUID.fromString(api.register().text("playerId"));
        path = "/api/v1/players/" + playerId;
    }

    @Test
    void theGenuineTokenWorks() {
        assertThat(api.get(path, TestKeys.primary().playerToken(playerId)).status()).isEqualTo(200);
    }

    @Test
    void aTokenWithATamperedPayloadIsRefused() {
        String[] parts = TestKeys.primary().playerToken(UUID.randomUUID()).split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]));
        String forged = claims.replaceFirst("\"sub\":\"[^\"]+\"", "\"sub\":\"" + playerId + "\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes())
                + "." + parts[2];

        assertRefused(tampered);
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() {
        assertRefused(TestKeys.other().playerToken(playerId));
    }

    @Test
    void anExpiredTokenIsRefused() {
        assertRefused(TestKeys.primary().token(playerId.toString(), "PLAYER", TestKeys.ISSUER, Duration.ofMinutes(-5)));
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        assertRefused(TestKeys.primary().token(playerId.toString(), "PLAYER", "https://evil.example", Duration.ofMinutes(5)));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        assertRefused(TestKeys.primary().token(playerId.toString(), "PLAYER", TestKeys.ISSUER, "bulwark-lease",
                Duration.ofMinutes(5)));
    }

    @Test
    void anAuthorityLeaseIsNotAnAccessToken() {
        String server = api.clientToken("gs-eu-1");
        Api.Response claim = api.call(org.springframework.http.HttpMethod.POST, path + "/authority", server,
                java.util.Map.of(), null);
        assertThat(claim.status()).isEqualTo(200);

        assertRefused(claim.text("lease"));
    }

    private void assertRefused(String token) {
        Api.Response response = api.get(path, token);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.headers().getContentType().toString()).isEqualTo("application/problem+json");
        assertThat(response.problem()).isEqualTo("unauthorized");
    }
}
