package dev.bulwark.social;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.bulwark.platform.ratelimit.RateLimit;
import dev.bulwark.platform.ratelimit.WriteLimiter;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;

/** Social's writes draw on the platform's write limit: a player out of tokens sends no friend request. */
@IntegrationTest
class WriteLimitTests {

    @LocalServerPort
    int port;

    @Autowired
    WriteLimiter limiter;

    @Test
    void aFriendRequestOverTheCallersLimitIs429() throws Exception {
        UUID player = UUID.randomUUID();
        String path = "/api/v1/players/" + player + "/friends";
        RateLimit limit = limiter.limitFor(path);
        while (limit.tryAcquire(WriteLimiter.key(player.toString(), player.toString())).isConsumed()) {
            // until the bucket is empty
        }

        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + TestKeys.primary().playerToken(player))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"friendId\":\"" + UUID.randomUUID() + "\"}")).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
        }
    }
}
