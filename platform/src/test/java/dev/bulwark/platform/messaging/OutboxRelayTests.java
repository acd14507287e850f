package dev.bulwark.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Topics;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.CurrencyGranted;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;

/** What the relay sends, and when: committed rows only, from one instance per database. */
@IntegrationTest
class OutboxRelayTests {

    @Autowired
    DataSource dataSource;

    @Autowired
    OutboxRelay relay;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    KafkaTemplate<Object, Object> kafka;

    @Autowired
    KafkaAdmin admin;

    @Autowired
    OutboxProperties properties;

    @Test
    void onlyTheLeaseHolderRelaysAndAnotherInstanceTakesOverWhenTheHolderStops() {
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
                "SELECT count(*) FROM outbox_relay_lease WHERE expires_at > now()").query(Long.class).single() == 1);
        Duration notItsTurn = properties.leaseTtl().dividedBy(3);

        assertThat(new OutboxRelay(jdbc, kafka, admin, properties).relayBatch())
                .as("a second instance waits while the lease is held").isEqualTo(notItsTurn);

        relay.stop();
        OutboxRelay successor = new OutboxRelay(jdbc, kafka, admin, properties);
        try {
            UUID aggregate = UUID.randomUUID();
            jdbc.sql("INSERT INTO outbox_message (topic, message_key, envelope) VALUES (:topic, :key, :envelope)")
                    .param("topic", Topics.ECONOMY_EVENTS.name()).param("key", aggregate.toString())
                    .param("envelope", new String(Contracts.toBytes(grant(aggregate)), StandardCharsets.UTF_8))
                    .update();
            assertThat(successor.relayBatch()).as("the lease was given up on stop").isNotEqualTo(notItsTurn);
            assertThat(records(aggregate, Duration.ofSeconds(10))).hasSize(1);
        } finally {
            successor.stop();
            relay.start();
        }
    }

    @Test
    void aPreparedTransactionsMessageIsSentOnlyAfterCommitPrepared() throws Exception {
        UUID aggregate = UUID.randomUUID();
        String gid = "outbox-test-" + aggregate;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO outbox_message (topic, message_key, envelope) VALUES (?, ?, ?)")) {
                insert.setString(1, Topics.ECONOMY_EVENTS.name());
                insert.setString(2, aggregate.toString());
                insert.setString(3, new String(Contracts.toBytes(grant(aggregate)), StandardCharsets.UTF_8));
                insert.executeUpdate();
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("PREPARE TRANSACTION '" + gid + "'");
            }
            connection.setAutoCommit(true);
        }
        relay.wake();

        // Several relay cycles (poll 200 ms in tests) pass over the prepared row without seeing it.
        assertThat(records(aggregate, Duration.ofSeconds(2))).as("nothing before COMMIT PREPARED").isEmpty();

        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("COMMIT PREPARED '" + gid + "'");
        }
        assertThat(records(aggregate, Duration.ofSeconds(15))).as("sent once committed").hasSize(1);
    }

    private static java.util.List<byte[]> records(UUID aggregate, Duration wait) {
        return TestInfrastructure.get().awaitRecords(Topics.ECONOMY_EVENTS.name(), aggregate.toString(), 1, wait);
    }

    private static Envelope grant(UUID aggregate) {
        return Contracts.wrap(new CurrencyGranted(aggregate, Map.of(Currency.GOLD, 1L), "TEST"), aggregate.toString(),
                1, Instant.now(), Map.of());
    }
}
