package dev.bulwark.platform.messaging;

import java.time.Clock;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.flywaydb.core.api.migration.JavaMigration;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bulwark.events.MessageType;
import dev.bulwark.platform.saga.SagaParticipant;
import dev.bulwark.events.Topic;
import dev.bulwark.events.Topics;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import tools.jackson.core.JacksonException;

/**
 * Reliable messaging for every service: the transactional outbox (a table written in the
 * business transaction, sent to Kafka by the platform's relay on its own thread), idempotent
 * ordered consumption, and dead-letter topics after bounded retries.
 */
@AutoConfiguration
@EnableScheduling
@EnableConfigurationProperties({ OutboxProperties.class, InboxProperties.class })
public class MessagingConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Without a tracer or propagator bean, envelopes simply carry no trace context. */
    @Bean
    MessageTracing messageTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator,
            ObjectProvider<ObservationRegistry> observations) {
        return new MessageTracing(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP),
                observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    /**
     * The relay of the service's database. Its KafkaTemplate is Boot's: the envelope's JSON bytes
     * as the value, keyed by aggregate, no class-name type header (the logical type id travels
     * inside), and no template observation (the record's trace headers are the envelope's own).
     */
    @Bean
    OutboxRelay outboxRelay(JdbcClient jdbc, KafkaTemplate<Object, Object> kafka, KafkaAdmin admin,
            OutboxProperties properties) {
        return new OutboxRelay(jdbc, kafka, admin, properties);
    }

    /** Flyway takes Java migrations from beans: this one retires Modulith's registry. */
    @Bean
    JavaMigration moveUndeliveredPublicationsToTheOutbox() {
        return new V0_21__Move_undelivered_publications_to_the_outbox();
    }

    @Bean
    Outbox outbox(JdbcClient jdbc, Clock clock, MessageTracing tracing, OutboxRelay relay) {
        return new Outbox(jdbc, clock, tracing, relay::wake);
    }

    @Bean
    Inbox inbox(JdbcClient jdbc, MessageTracing tracing) {
        return new Inbox(jdbc, tracing);
    }

    @Bean
    SagaParticipant sagaParticipant(JdbcClient jdbc, Outbox outbox, MessageTracing tracing) {
        return new SagaParticipant(jdbc, outbox, tracing);
    }

    @Bean
    SingleInstance singleInstance(JdbcClient jdbc, TransactionTemplate transactions) {
        return new SingleInstance(jdbc, transactions);
    }

    /**
     * Retries a failing message with backoff, then sends it to {@code <topic>-dlt} so it never
     * blocks its partition. A message that cannot be decoded is dead-lettered at once.
     */
    @Bean
    CommonErrorHandler kafkaErrorHandler(KafkaTemplate<Object, Object> template, InboxProperties properties) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                (record, e) -> new TopicPartition(record.topic() + Topic.DEAD_LETTER_SUFFIX, -1));
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(properties.maxAttempts() - 1);
        backOff.setInitialInterval(200);
        backOff.setMultiplier(2);
        backOff.setMaxInterval(2_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(JacksonException.class, MessageType.UnknownMessageTypeException.class);
        return handler;
    }

    @Bean(name = "kafkaHealthIndicator")
    KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin admin) {
        return new KafkaHealthIndicator(admin.getConfigurationProperties());
    }

    @Bean
    KafkaAdmin.NewTopics bulwarkTopics() {
        return new KafkaAdmin.NewTopics(Topics.ALL.stream()
                .flatMap(t -> java.util.stream.Stream.of(t.name(), t.deadLetter()))
                .map(name -> new NewTopic(name, Optional.of(3), Optional.empty()))
                .toArray(NewTopic[]::new));
    }
}
