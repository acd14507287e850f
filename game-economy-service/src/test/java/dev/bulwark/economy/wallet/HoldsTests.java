package dev.bulwark.economy.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import dev.bulwark.economy.ledger.PlayerState.HoldStatus;
import dev.bulwark.economy.ledger.PlayerStore;
import dev.bulwark.economy.ledger.StoredEvent;
import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Topics;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.platform.refusal.Refusal;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;

/** Holds as the saga orchestrator will use them: idempotent per hold id, each change a ledger event. */
@IntegrationTest
class HoldsTests {

    @Autowired
    ApplicationContext context;

    @Autowired
    Holds holds;

    @Autowired
    PlayerStore store;

    @Test
    void placeCaptureAndReleaseAreIdempotentAndSettleOnce() {
        UUID player = TestPlayers.open(context);
        UUID captured = UUID.randomUUID();
        UUID released = UUID.randomUUID();

        holds.place(player, captured, Currency.GOLD, 300, "PURCHASE:test");
        holds.place(player, captured, Currency.GOLD, 300, "PURCHASE:test");
        holds.place(player, released, Currency.GEM, 4, "PURCHASE:test");
        assertThat(store.wallet(player).orElseThrow().balances()).containsEntry(Currency.GOLD, 700L).containsEntry(Currency.GEM, 6L);
        assertThat(store.wallet(player).orElseThrow().held()).containsEntry(Currency.GOLD, 300L).containsEntry(Currency.GEM, 4L);

        assertThat(holds.capture(player, captured).status()).isEqualTo(HoldStatus.CAPTURED);
        assertThat(holds.capture(player, captured).status()).isEqualTo(HoldStatus.CAPTURED);
        assertThat(holds.release(player, released).status()).isEqualTo(HoldStatus.RELEASED);
        assertThat(holds.release(player, released).status()).isEqualTo(HoldStatus.RELEASED);

        assertThatThrownBy(() -> holds.release(player, captured)).isInstanceOf(Refusal.class)
                .extracting(e -> ((Refusal) e).type()).isEqualTo("hold-conflict");
        assertThatThrownBy(() -> holds.place(player, captured, Currency.GOLD, 1, "other")).isInstanceOf(Refusal.class)
                .extracting(e -> ((Refusal) e).type()).isEqualTo("hold-conflict");
        assertThatThrownBy(() -> holds.place(player, UUID.randomUUID(), Currency.GOLD, 701, "too much"))
                .isInstanceOf(Refusal.class).extracting(e -> ((Refusal) e).type()).isEqualTo("insufficient-funds");
        assertThatThrownBy(() -> holds.capture(player, UUID.randomUUID())).isInstanceOf(Refusal.class)
                .extracting(e -> ((Refusal) e).type()).isEqualTo("not-found");

        var wallet = store.wallet(player).orElseThrow();
        assertThat(wallet.balances()).containsEntry(Currency.GOLD, 700L).containsEntry(Currency.GEM, 10L);
        assertThat(wallet.held()).containsEntry(Currency.GOLD, 0L).containsEntry(Currency.GEM, 0L);
        assertThat(store.events(player, 0, 100).stream().map(StoredEvent::type)).containsExactly("WalletOpened",
                "CurrencyGranted", "HoldPlaced", "HoldPlaced", "HoldCaptured", "HoldReleased");
    }

    @Test
    void concurrentCallsForOneHoldPlaceItOnceAndSettleItOnce() throws Exception {
        UUID player = TestPlayers.open(context);
        UUID hold = UUID.randomUUID();
        List<Callable<Object>> places = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            places.add(() -> holds.place(player, hold, Currency.GOLD, 400, "PURCHASE:test"));
        }
        List<Callable<Object>> settles = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            boolean capture = i % 2 == 0;
            settles.add(() -> {
                try {
                    return capture ? holds.capture(player, hold).status() : holds.release(player, hold).status();
                } catch (Refusal refused) {
                    return refused.type();
                }
            });
        }

        List<Object> placed = runTogether(places);
        List<Object> settled = runTogether(settles);

        assertThat(placed).allSatisfy(h -> assertThat(((Holds.Hold) h).status()).isEqualTo(HoldStatus.PLACED));
        HoldStatus winner = settled.stream().filter(HoldStatus.class::isInstance).map(HoldStatus.class::cast)
                .findFirst().orElseThrow();
        assertThat(settled).filteredOn(winner::equals).hasSize(5);
        assertThat(settled).filteredOn("hold-conflict"::equals).hasSize(5);
        assertThat(store.events(player, 2, 100).stream().map(StoredEvent::type)).containsExactly("HoldPlaced",
                winner == HoldStatus.CAPTURED ? "HoldCaptured" : "HoldReleased");
        assertThat(store.wallet(player).orElseThrow().balances().get(Currency.GOLD))
                .isEqualTo(winner == HoldStatus.CAPTURED ? 600L : 1000L);
    }

    private static List<Object> runTogether(List<Callable<Object>> calls) throws Exception {
        List<Object> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(calls.size())) {
            for (Future<Object> result : pool.invokeAll(calls)) {
                results.add(result.get());
            }
        }
        return results;
    }

    @Test
    void everyLedgerEventLeavesOnEconomyEventsWithItsLedgerPosition() {
        UUID player = TestPlayers.open(context);
        UUID hold = UUID.randomUUID();
        holds.place(player, hold, Currency.GOLD, 10, "PURCHASE:test");
        holds.release(player, hold);

        List<Envelope> published = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.assign(consumer.partitionsFor(Topics.ECONOMY_EVENTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList());
            consumer.seekToBeginning(consumer.assignment());
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(player.toString())) {
                        published.add(Contracts.fromBytes(record.value()));
                    }
                }
                return published.size() >= 4;
            });
        }
        List<StoredEvent> ledger = store.events(player, 0, 100);
        assertThat(published).extracting(Envelope::sequence).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
        for (Envelope envelope : published) {
            StoredEvent stored = ledger.get((int) envelope.sequence() - 1);
            assertThat(envelope.eventId()).isEqualTo(stored.eventId());
            assertThat(envelope.type()).isEqualTo(stored.type());
        }
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties props = new Properties();
        props.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().kafkaBootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        return new KafkaConsumer<>(props);
    }
}
