package dev.bulwark.platform;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.economy.CurrencyGranted;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.saga.CreateGuild;
import dev.bulwark.platform.messaging.Inbox;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.platform.saga.SagaParticipant;
import dev.bulwark.platform.web.ApiException;

/**
 * A minimal service on the platform, for testing the platform's mechanisms on real PostgreSQL
 * and Kafka: an outbox publisher, an ordered idempotent consumer, a secured endpoint.
 */
@SpringBootApplication
public class TestPlatformApplication {

    public static void main(String[] args) {
        SpringApplication.run(TestPlatformApplication.class, args);
    }

    @Service
    public static class Publisher {

        private final Outbox outbox;
        private final JdbcClient jdbc;

        Publisher(Outbox outbox, JdbcClient jdbc) {
            this.outbox = outbox;
            this.jdbc = jdbc;
        }

        /** Writes a row and publishes a grant in one transaction; fails after both when asked. */
        @Transactional
        public Envelope grant(String aggregateId, long sequence, boolean failAfterPublishing) {
            jdbc.sql("INSERT INTO test_note (id, text) VALUES (:id, :text)")
                    .param("id", UUID.randomUUID()).param("text", aggregateId).update();
            Envelope envelope = outbox.publish(new CurrencyGranted(UUID.fromString(aggregateId),
                    Map.of(Currency.GOLD, sequence), "TEST"), aggregateId, sequence);
            if (failAfterPublishing) {
                throw new IllegalStateException("business rule failed after publishing");
            }
            return envelope;
        }
    }

    /** Appends each grant's sequence to the aggregate's history, exactly once and in order. */
    @Component
    public static class HistoryConsumer {

        public static final String NAME = "platform-test.history";

        public final Map<UUID, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        public final Set<UUID> crashAfterCommit = ConcurrentHashMap.newKeySet();

        private final Inbox inbox;
        private final JdbcClient jdbc;

        HistoryConsumer(Inbox inbox, JdbcClient jdbc) {
            this.inbox = inbox;
            this.jdbc = jdbc;
        }

        @KafkaListener(topics = "economy.events", groupId = "platform-test")
        void on(ConsumerRecord<String, byte[]> record) {
            Envelope envelope = Contracts.fromBytes(record.value());
            deliveries.computeIfAbsent(envelope.eventId(), id -> new AtomicInteger()).incrementAndGet();
            inbox.accept(NAME, envelope, Inbox.Ordering.IN_SEQUENCE, this::apply);
            if (crashAfterCommit.remove(envelope.eventId())) {
                throw new IllegalStateException("simulated crash after the database commit, before the offset commit");
            }
        }

        private void apply(Envelope envelope) {
            jdbc.sql("""
                    INSERT INTO applied_history (aggregate_id, history, effects) VALUES (:id, :seq, 1)
                    ON CONFLICT (aggregate_id) DO UPDATE
                    SET history = applied_history.history || ',' || :seq, effects = applied_history.effects + 1""")
                    .param("id", envelope.aggregateId()).param("seq", String.valueOf(envelope.sequence())).update();
        }
    }

    /** A saga participant whose effect is a row in {@code test_guild} (names unique, case-insensitive). */
    @Component
    public static class GuildCharterParticipant {

        public final AtomicInteger effects = new AtomicInteger();

        private final SagaParticipant participant;
        private final JdbcClient jdbc;

        GuildCharterParticipant(SagaParticipant participant, JdbcClient jdbc) {
            this.participant = participant;
            this.jdbc = jdbc;
        }

        @KafkaListener(topics = "social.commands", groupId = "platform-test")
        void on(ConsumerRecord<String, byte[]> record) {
            participant.receive(Contracts.fromBytes(record.value()), command -> create((CreateGuild) command));
        }

        private SagaParticipant.Decision create(CreateGuild command) {
            boolean taken = jdbc.sql("SELECT count(*) FROM test_guild WHERE lower(name) = lower(:name)")
                    .param("name", command.guildName()).query(Integer.class).single() > 0;
            if (taken) {
                return SagaParticipant.Decision.failed("name-taken");
            }
            UUID guildId = UUID.randomUUID();
            jdbc.sql("INSERT INTO test_guild (id, name, leader_id) VALUES (:id, :name, :leader)")
                    .param("id", guildId).param("name", command.guildName()).param("leader", command.leaderId())
                    .update();
            effects.incrementAndGet();
            return SagaParticipant.Decision.succeeded(Map.of("guildId", guildId.toString()));
        }
    }

    /**
     * Answers every player event with a grant for that player through the inbox (in sequence) and
     * the outbox, the sequence as the amount: the shape of a projection that publishes.
     */
    @Component
    public static class GrantRelay {

        public static final String NAME = "platform-test.relay";

        private final Inbox inbox;
        private final Outbox outbox;

        GrantRelay(Inbox inbox, Outbox outbox) {
            this.inbox = inbox;
            this.outbox = outbox;
        }

        @KafkaListener(topics = "player.events", groupId = NAME)
        void on(ConsumerRecord<String, byte[]> record) {
            inbox.accept(NAME, Contracts.fromBytes(record.value()), Inbox.Ordering.IN_SEQUENCE,
                    envelope -> outbox.publish(new CurrencyGranted(UUID.fromString(envelope.aggregateId()),
                            Map.of(Currency.GOLD, envelope.sequence()), "RELAY"), envelope.aggregateId()));
        }
    }

    /** Writes of every method on one limited route, and a read (WriteLimiterTests). */
    @RestController
    @RequestMapping("/api/v1/limited/{playerId}")
    static class LimitedController {

        @GetMapping
        Map<String, Object> read(@PathVariable UUID playerId) {
            return Map.of("read", playerId);
        }

        @RequestMapping(method = { RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE })
        Map<String, Object> write(@PathVariable UUID playerId) {
            return Map.of("written", playerId);
        }
    }

    @RestController
    static class OwnResourceController {

        private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OwnResourceController.class);

        private final Publisher publisher;

        OwnResourceController(Publisher publisher) {
            this.publisher = publisher;
        }

        @PostMapping("/api/v1/grants/{aggregateId}")
        Map<String, Object> grant(@PathVariable UUID aggregateId) {
            log.info("granting to {}", aggregateId);
            return Map.of("eventId", publisher.grant(aggregateId.toString(), 1, false).eventId());
        }

        @GetMapping("/api/v1/players/{playerId}/things")
        @PreAuthorize("@access.isPlayerOrTrusted(#playerId)")
        Map<String, Object> things(@PathVariable UUID playerId) {
            return Map.of("playerId", playerId);
        }

        @GetMapping("/api/v1/refusals/{kind}")
        Map<String, Object> refuse(@PathVariable String kind) {
            throw new ApiException(HttpStatus.CONFLICT, kind, "refused: " + kind);
        }
    }
}
