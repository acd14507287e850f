package dev.bulwark.player;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.bulwark.platform.ratelimit.WriteLimiter;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;

/** Player-core's writes draw on the platform's write limit: out of tokens, a profile update is refused before it runs. */
@IntegrationTest
class WriteLimitTests {

    @LocalServerPort
    int port;

    @Autowired
    WriteLimiter limiter;

    @Test
    void aProfileUpdateOverTheCallersLimitIs429() throws Exception {
        UUID player = UUID.randomUUID();
        String profile = "/api/v1/players/" + player;
        String key = WriteLimiter.key(player.toString(), player.toString());
        while (limiter.limitFor(profile).tryAcquire(key).isConsumed()) {
            // until the bucket is empty
        }

        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + profile))
                    .header("Authorization", "Bearer " + TestKeys.primary().playerToken(player))
                    .header("Content-Type", "application/json").header("If-Match", "\"0\"")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"settings\":{}}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).contains("rate-limited");
        }
    }
}
