package dev.bulwark.player.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.player.AuthorityChanged;
import dev.bulwark.platform.security.AuthorityLease;
import dev.bulwark.platform.security.AuthorityLeases;
import dev.bulwark.player.Api;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;
import tools.jackson.databind.JsonNode;

/** Fenced authority leases through the real endpoints, with real tokens of configured game servers. */
@IntegrationTest
class AuthorityTests {

    @LocalServerPort
    int port;

    @Autowired
    AuthorityLeases leases;

    Api api;
    UUID playerId;
    String eu1;
    String eu2;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        playerId = UUID.fromString(api.register().text("playerId"));
        eu1 = api.clientToken("gs-eu-1");
        eu2 = api.clientToken("gs-eu-2");
    }

    @Test
    void aClaimGivesASignedLeaseNamingPlayerServerEpochAndExpiry() {
        Api.Response claim = claim(eu1, null);

        assertThat(claim.status()).isEqualTo(200);
        AuthorityLease lease = leases.verify(claim.text("lease"));
        assertThat(lease.playerId()).isEqualTo(playerId);
        assertThat(lease.serverId()).isEqualTo("gs-eu-1").isEqualTo(claim.text("serverId"));
        assertThat(lease.epoch()).isEqualTo(1).isEqualTo(claim.body().get("epoch").asLong());
        assertThat(lease.expiresAt().toString()).isEqualTo(claim.text("expiresAt"));
        assertThat(api.get(path(""), eu2).body().get("authority").get("serverId").asString()).isEqualTo("gs-eu-1");

        List<Envelope> events = Api.events(playerId, "AuthorityChanged", 1);
        assertThat(events).hasSize(1);
        assertThat((AuthorityChanged) Contracts.payload(events.getFirst()))
                .isEqualTo(new AuthorityChanged(playerId, AuthorityChanged.Change.CLAIMED, "gs-eu-1", 1, lease.expiresAt()));
    }

    @Test
    void aLeaseLastsAtLeastTheTtlAskedFor() {
        for (int round = 0; round < 5; round++) {
            UUID player = UUID.fromString(api.register().text("playerId"));
            Instant asked = Instant.now();
            Api.Response claim = api.call(HttpMethod.POST, "/api/v1/players/" + player + "/authority", eu1,
                    Map.of(), Map.of("ttlSeconds", 1));
            assertThat(leases.verify(claim.text("lease")).expiresAt()).isAfterOrEqualTo(asked.plusSeconds(1));
        }
    }

    @Test
    void aLiveLeaseKeepsOtherServersOutAndAnExpiredOneIsTakenOverAtTheNextEpoch() {
        String first = claim(eu1, 2).text("lease");
        Api.Response refused = claim(eu2, null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.problem()).isEqualTo("authority-held");

        Api.Response takeover = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> claim(eu2, null), response -> response.status() == 200);

        assertThat(leases.verify(takeover.text("lease")).epoch()).isEqualTo(2);
        assertThat(experience(eu1, first, 10).status()).as("the crashed server's old lease").isEqualTo(409);
    }

    /**
     * Fifty different game servers (the two configured clients and 48 more with tokens signed by the
     * same key) claim one free player at once: one lease, 49 refusals. Distinct servers, because the
     * holder claiming again is answered with a fresh lease at the same epoch, not a 409.
     */
    @Test
    void fiftyConcurrentClaimsOfOneFreePlayerLeaveExactlyOneLease() throws Exception {
        for (int round = 0; round < 2; round++) {
            UUID contested = UUID.fromString(api.register().text("playerId"));
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Api.Response>> claims = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
                for (int i = 0; i < 50; i++) {
                    String server = switch (i) {
                        case 0 -> eu1;
                        case 1 -> eu2;
                        default -> TestKeys.primary().gameServerToken("gs-race-" + i);
                    };
                    claims.add(pool.submit(() -> {
                        start.await();
                        return claimOf(contested, server);
                    }));
                }
                start.countDown();
            }
            List<Api.Response> answers = new ArrayList<>();
            for (Future<Api.Response> claim : claims) {
                answers.add(claim.get());
            }

            assertThat(answers).filteredOn(r -> r.status() == 200).hasSize(1);
            assertThat(answers).filteredOn(r -> r.status() != 200)
                    .hasSize(49).allSatisfy(r -> {
                        assertThat(r.status()).isEqualTo(409);
                        assertThat(r.problem()).isEqualTo("authority-held");
                    });
            Api.Response winner = answers.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
            assertThat(leases.verify(winner.text("lease")).epoch()).isEqualTo(1);
            JsonNode authority = api.get("/api/v1/players/" + contested, eu1).body().get("authority");
            assertThat(authority.get("epoch").asLong()).isEqualTo(1);
            assertThat(authority.get("serverId").asString()).isEqualTo(winner.text("serverId"));
            assertThat(Api.events(contested, "AuthorityChanged", 1)).hasSize(1)
                    .extracting(e -> ((AuthorityChanged) Contracts.payload(e)).change())
                    .containsExactly(AuthorityChanged.Change.CLAIMED);
        }
    }

    @Test
    void afterATransferTheOldLeaseWritesNothingAndTheNewHolderWrites() {
        String old = claim(eu1, null).text("lease");
        Api.Response transferred = api.call(HttpMethod.POST, path("/authority/transfer"), eu1,
                Map.of("Authority-Lease", old), Map.of("toServerId", "gs-eu-2"));
        assertThat(transferred.status()).isEqualTo(200);
        assertThat(transferred.text("serverId")).isEqualTo("gs-eu-2");
        assertThat(transferred.body().get("epoch").asLong()).isEqualTo(2);
        long versionBefore = api.get(path(""), eu1).body().get("version").asLong();

        Api.Response stale = experience(eu1, old, 500);

        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.problem()).isEqualTo("stale-lease");
        Api.Response unchanged = api.get(path(""), eu1);
        assertThat(unchanged.body().get("experience").asLong()).isZero();
        assertThat(unchanged.body().get("version").asLong()).isEqualTo(versionBefore);

        String fresh = transferred.text("lease");
        assertThat(experience(eu1, fresh, 10).status()).as("gs-eu-1 presenting gs-eu-2's lease").isEqualTo(409);
        assertThat(experience(eu2, fresh, 150).status()).isEqualTo(200);
        assertThat(api.get(path(""), eu2).body().get("level").asInt()).isEqualTo(2);
        assertThat(Api.events(playerId, "AuthorityChanged", 2)).extracting(e -> ((AuthorityChanged) Contracts.payload(e)).change())
                .containsExactly(AuthorityChanged.Change.CLAIMED, AuthorityChanged.Change.TRANSFERRED);
    }

    @Test
    void renewKeepsTheEpochAndReleaseFreesThePlayerForTheNextEpoch() {
        String lease = claim(eu1, 5).text("lease");

        Api.Response renewed = api.call(HttpMethod.POST, path("/authority/renew"), eu1, Map.of("Authority-Lease", lease),
                Map.of("ttlSeconds", 60));
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(renewed.body().get("epoch").asLong()).isEqualTo(1);
        assertThat(leases.verify(renewed.text("lease")).expiresAt()).isAfter(leases.verify(lease).expiresAt());

        assertThat(api.call(HttpMethod.DELETE, path("/authority"), eu2, Map.of("Authority-Lease", renewed.text("lease")),
                null).status()).as("another server releasing").isEqualTo(409);
        assertThat(api.call(HttpMethod.DELETE, path("/authority"), eu1, Map.of("Authority-Lease", renewed.text("lease")),
                null).status()).isEqualTo(204);
        assertThat(api.get(path(""), eu1).body().get("authority").isNull()).isTrue();
        assertThat(experience(eu1, renewed.text("lease"), 10).status()).isEqualTo(409);
        assertThat(claim(eu2, null).body().get("epoch").asLong()).isEqualTo(2);
    }

    @Test
    void aForgedOrMalformedLeaseIsRefusedAndChangesNothing() {
        claim(eu1, null);
        String forged = TestKeys.other().token(playerId.toString(), "GAME_SERVER", TestKeys.ISSUER, Duration.ofMinutes(1));

        assertThat(experience(eu1, forged, 10).problem()).isEqualTo("invalid-lease");
        assertThat(experience(eu1, "garbage", 10).status()).isEqualTo(400);
        assertThat(experience(eu1, eu1, 10).problem()).as("an access token as a lease").isEqualTo("invalid-lease");
        assertThat(api.get(path(""), eu1).body().get("experience").asLong()).isZero();
    }

    private Api.Response claim(String token, Integer ttlSeconds) {
        return api.call(HttpMethod.POST, path("/authority"), token, Map.of(),
                ttlSeconds == null ? null : Map.of("ttlSeconds", ttlSeconds));
    }

    private Api.Response claimOf(UUID player, String token) {
        return api.call(HttpMethod.POST, "/api/v1/players/" + player + "/authority", token, Map.of(), null);
    }

    private Api.Response experience(String token, String lease, long amount) {
        return api.call(HttpMethod.POST, path("/experience"), token, Map.of("Authority-Lease", lease),
                Map.of("amount", amount));
    }

    private String path(String suffix) {
        return "/api/v1/players/" + playerId + suffix;
    }
}
