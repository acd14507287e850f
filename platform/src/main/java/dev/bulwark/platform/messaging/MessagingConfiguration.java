package dev.bulwark.platform.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.RoutingTarget;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.MessageType;
import dev.bulwark.platform.saga.SagaParticipant;
import dev.bulwark.events.Topic;
import dev.bulwark.events.Topics;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import tools.jackson.core.JacksonException;

/**
 * Reliable messaging for every service: the transactional outbox (Spring Modulith's event
 * publication registry, externalized to Kafka), scheduled resubmission of failed publications,
 * idempotent ordered consumption, and dead-letter topics after bounded retries.
 */
@AutoConfiguration
@EnableScheduling
@EnableAsync
@EnableConfigurationProperties({ OutboxProperties.class, InboxProperties.class })
public class MessagingConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Envelopes go to the topic of their type, keyed by aggregate, as the envelope's own JSON
     * bytes: no class-name type header, the logical type id travels inside. The record's W3C
     * trace headers are the envelope's own, so the listener's observation on the other side
     * continues the publisher's trace even when the send happens later, from a resubmission.
     */
    @Bean
    EventExternalizationConfiguration eventExternalization() {
        return EventExternalizationConfiguration.externalizing()
                .selectByType(Envelope.class)
                .route(Envelope.class, e -> RoutingTarget.forTarget(e.topic().name()).andKey(e.aggregateId()))
                .mapping(Envelope.class, MessagingConfiguration::record)
                .build();
    }

    private static Message<byte[]> record(Envelope envelope) {
        MessageBuilder<byte[]> message = MessageBuilder.withPayload(Contracts.toBytes(envelope));
        envelope.trace().forEach((field, value) -> message.setHeader(field, value.getBytes(StandardCharsets.UTF_8)));
        return message.build();
    }

    /** Without a tracer or propagator bean, envelopes simply carry no trace context. */
    @Bean
    MessageTracing messageTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator,
            ObjectProvider<ObservationRegistry> observations) {
        return new MessageTracing(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP),
                observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    @Bean
    Outbox outbox(ApplicationEventPublisher publisher, JdbcClient jdbc, Clock clock, MessageTracing tracing) {
        return new Outbox(publisher, jdbc, clock, tracing);
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

    @Bean
    OutboxResubmitter outboxResubmitter(FailedEventPublications failed, SingleInstance singleInstance,
            OutboxProperties properties, KafkaAdmin admin) {
        return new OutboxResubmitter(failed, singleInstance, properties.resubmitMinAge(), admin);
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
