package dev.bulwark.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;

/** The platform's write limit on a service's routes, configured per route (the test app's: 3 writes an hour). */
@IntegrationTest
class WriteLimiterTests {

    @LocalServerPort
    int port;

    @Test
    void everyWriteMethodDrawsOnTheCallersBucketAndTheFourthIs429ProblemWithRetryAfter() throws Exception {
        UUID player = UUID.randomUUID();
        String token = TestKeys.primary().playerToken(player);
        List<Integer> statuses = new ArrayList<>();
        for (String method : List.of("POST", "PUT", "PATCH")) {
            statuses.add(send(method, player, token).statusCode());
        }
        HttpResponse<String> refused = send("DELETE", player, token);

        assertThat(statuses).containsExactly(200, 200, 200);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(refused.body()).contains("rate-limited");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 3600L);
        assertThat(send("GET", player, token).statusCode()).as("reads are not limited").isEqualTo(200);
        UUID other = UUID.randomUUID();
        assertThat(send("POST", other, TestKeys.primary().playerToken(other)).statusCode())
                .as("another caller has its own bucket").isEqualTo(200);
        assertThat(send("POST", player, TestKeys.primary().gameServerToken("gs-limits")).statusCode())
                .as("so does a game server writing for the same player").isEqualTo(200);
    }

    private HttpResponse<String> send(String method, UUID player, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/limited/" + player))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
