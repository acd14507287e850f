package dev.bulwark.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Topics;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.CurrencyGranted;
import dev.bulwark.platform.messaging.OutboxRelay;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;
import dev.bulwark.testsupport.TestKeys;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The backlog gauges dashboards and alerts read (docs/metrics.md), measured against what the
 * messaging tables really hold, and exported under the names the deployment files query.
 */
@IntegrationTest
class MessagingBacklogMetricsTests {

    @Autowired
    MeterRegistry registry;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    OutboxRelay relay;

    @LocalServerPort
    int port;

    private static final String OPERATOR = TestKeys.primary().adminToken("ops");

    @Test
    void aMessageWaitingForItsPredecessorIsCountedAsParkedUntilThePredecessorArrives() {
        double before = gauge("bulwark.inbox.parked");
        UUID aggregate = UUID.randomUUID();

        send(grant(aggregate, 2));
        await().atMost(Duration.ofSeconds(20)).until(() -> gauge("bulwark.inbox.parked") == before + 1);

        send(grant(aggregate, 1));
        await().atMost(Duration.ofSeconds(20)).until(() -> gauge("bulwark.inbox.parked") == before);
    }

    @Test
    void anUndeliveredMessageCountsAsBacklogWithItsAgeUntilTheRelaySendsIt() {
        UUID aggregate = UUID.randomUUID();
        Envelope envelope = grant(aggregate, 1);
        // A message written an hour ago that the relay has not sent yet, as while Kafka was down.
        relay.stop();
        try {
            jdbc.sql("""
                    INSERT INTO outbox_message (topic, message_key, envelope, created_at)
                    VALUES (:topic, :key, :envelope, now() - interval '1 hour')""")
                    .param("topic", Topics.ECONOMY_EVENTS.name()).param("key", aggregate.toString())
                    .param("envelope", new String(Contracts.toBytes(envelope), StandardCharsets.UTF_8)).update();
            assertThat(gauge("bulwark.outbox.backlog")).isGreaterThanOrEqualTo(1);
            assertThat(gauge("bulwark.outbox.oldest.age")).isGreaterThanOrEqualTo(3600);
        }
        finally {
            relay.start();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> gauge("bulwark.outbox.oldest.age") < 3600);
        assertThat(TestInfrastructure.get().awaitRecords(Topics.ECONOMY_EVENTS.name(), aggregate.toString(), 1,
                Duration.ofSeconds(10))).hasSize(1);
    }

    @Test
    void thePrometheusEndpointExportsTheNamesTheDashboardsAndAutoscalersQuery() throws Exception {
        get("/actuator/health/liveness");
        // An operator's read on the service port; deployments scrape a management port instead (ManagementPortTests).
        String scrape = get("/actuator/prometheus", OPERATOR);

        assertThat(scrape).contains("bulwark_outbox_backlog{application=\"platform-test\"")
                .contains("bulwark_outbox_oldest_age_seconds{")
                .contains("bulwark_inbox_parked{")
                // Buckets, not client-side percentiles: p99 is computed across pods.
                .contains("http_server_requests_seconds_bucket{");
    }

    @Test
    void playersOnlineCountsDistinctPlayersNotServers() throws Exception {
        double before = gauge("bulwark.players.online");
        UUID player = UUID.randomUUID();
        String token = TestKeys.primary().playerToken(player);

        get("/api/v1/players/" + player + "/things", token);
        get("/api/v1/players/" + player + "/things", token);
        get("/api/v1/players/" + player + "/things", TestKeys.primary().gameServerToken("gs-eu-1"));

        assertThat(gauge("bulwark.players.online")).isEqualTo(before + 1);
        assertThat(get("/actuator/prometheus", OPERATOR)).contains("bulwark_players_online{");
    }

    private String get(String path) throws Exception {
        return get(path, null);
    }

    private String get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private static Envelope grant(UUID aggregate, long sequence) {
        return Contracts.wrap(new CurrencyGranted(aggregate, Map.of(Currency.GOLD, sequence), "TEST"),
                aggregate.toString(), sequence, Instant.now(), Map.of());
    }

    private static void send(Envelope envelope) {
        TestInfrastructure.get().send(Topics.ECONOMY_EVENTS.name(), envelope.aggregateId(), Contracts.toBytes(envelope));
    }
}
