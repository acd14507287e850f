package dev.bulwark.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Topics;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.CurrencyGranted;
import dev.bulwark.platform.TestPlatformApplication.HistoryConsumer;
import dev.bulwark.platform.TestPlatformApplication.Publisher;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;

/**
 * The consumer guarantees, on real Kafka and PostgreSQL: one effect per message whatever the
 * redelivery, and an aggregate's messages applied in sequence whatever the arrival order.
 */
@IntegrationTest
class ConsumerCorrectnessTests {

    @Autowired
    HistoryConsumer consumer;

    @Autowired
    Publisher publisher;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aConsumerThatCrashesAfterItsCommitAndBeforeTheOffsetCommitHasNoSecondEffect() {
        Envelope first = grant(UUID.randomUUID(), 1);
        consumer.crashAfterCommit.add(first.eventId());

        send(first);

        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(first) >= 2);
        assertThat(history(first.aggregateId())).contains("1");
        assertThat(effects(first.aggregateId())).isEqualTo(1);
    }

    @Test
    void theSameEnvelopeDeliveredTwiceHasOneEffect() {
        Envelope first = grant(UUID.randomUUID(), 1);
        Envelope second = grant(UUID.fromString(first.aggregateId()), 2);

        send(first);
        send(first);
        send(second);

        await().atMost(Duration.ofSeconds(20)).until(() -> history(first.aggregateId()).equals(Optional.of("1,2")));
        assertThat(deliveries(first)).isEqualTo(2);
        assertThat(effects(first.aggregateId())).isEqualTo(2);
    }

    @Test
    void eventsOfOneAggregateDeliveredInSwappedOrderEndInTheSameStateAsInOrder() {
        UUID inOrder = UUID.randomUUID();
        UUID swapped = UUID.randomUUID();

        send(grant(inOrder, 1));
        send(grant(inOrder, 2));
        send(grant(inOrder, 3));
        send(grant(swapped, 3));
        send(grant(swapped, 2));
        send(grant(swapped, 1));

        // The two aggregates may sit on different partitions: wait for each, then compare.
        await().atMost(Duration.ofSeconds(20)).until(() -> history(swapped.toString()).isPresent()
                && history(swapped.toString()).get().split(",").length == 3
                && history(inOrder.toString()).isPresent() && history(inOrder.toString()).get().split(",").length == 3);
        assertThat(history(swapped.toString())).isEqualTo(history(inOrder.toString())).contains("1,2,3");
        assertThat(jdbc.sql("SELECT count(*) FROM parked_message WHERE aggregate_id = :id")
                .param("id", swapped.toString()).query(Long.class).single()).isZero();
    }

    @Test
    void aCommittedPublicationReachesConsumersAndARolledBackOneDoesNot() {
        UUID committed = UUID.randomUUID();
        UUID rolledBack = UUID.randomUUID();

        assertThatThrownBy(() -> publisher.grant(rolledBack.toString(), 1, true)).isInstanceOf(IllegalStateException.class);
        publisher.grant(committed.toString(), 1, false);

        await().atMost(Duration.ofSeconds(20)).until(() -> history(committed.toString()).isPresent());
        assertThat(history(rolledBack.toString())).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM test_note WHERE text = :id").param("id", rolledBack.toString())
                .query(Long.class).single()).isZero();
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterTopicAndDoesNotBlockItsPartition() {
        UUID aggregate = UUID.randomUUID();
        byte[] poison = ("{\"not\": \"an envelope " + aggregate + "\"}").getBytes();

        TestInfrastructure.get().send(Topics.ECONOMY_EVENTS.name(), aggregate.toString(), poison);
        send(grant(aggregate, 1));

        await().atMost(Duration.ofSeconds(20)).until(() -> history(aggregate.toString()).isPresent());
        assertThat(deadLetters(aggregate.toString())).containsExactly(new String(poison));
    }

    private static java.util.List<String> deadLetters(String key) {
        return TestInfrastructure.get().awaitRecords(Topics.ECONOMY_EVENTS.deadLetter(), key, 1, Duration.ofSeconds(20))
                .stream().map(String::new).toList();
    }

    private static Envelope grant(UUID aggregate, long sequence) {
        return Contracts.wrap(new CurrencyGranted(aggregate, Map.of(Currency.GOLD, sequence), "TEST"),
                aggregate.toString(), sequence, Instant.now(), Map.of());
    }

    private static void send(Envelope envelope) {
        TestInfrastructure.get().send(Topics.ECONOMY_EVENTS.name(), envelope.aggregateId(), Contracts.toBytes(envelope));
    }

    private int deliveries(Envelope envelope) {
        var count = consumer.deliveries.get(envelope.eventId());
        return count == null ? 0 : count.get();
    }

    private Optional<String> history(String aggregate) {
        return jdbc.sql("SELECT history FROM applied_history WHERE aggregate_id = :id").param("id", aggregate)
                .query(String.class).optional();
    }

    private long effects(String aggregate) {
        return jdbc.sql("SELECT effects FROM applied_history WHERE aggregate_id = :id").param("id", aggregate)
                .query(Long.class).single();
    }

}
