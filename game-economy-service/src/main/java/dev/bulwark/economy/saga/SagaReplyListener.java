package dev.bulwark.economy.saga;

import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.bulwark.economy.sharding.Shard;
import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Topics;
import dev.bulwark.events.saga.SagaReply;
import dev.bulwark.platform.messaging.Inbox;

/** Feeds participants' replies to the orchestrator, each delivered message once. */
@Component
class SagaReplyListener {

    static final String CONSUMER = "economy.saga-replies";

    private final SagaStore store;
    private final SagaOrchestrator orchestrator;

    SagaReplyListener(SagaStore store, SagaOrchestrator orchestrator) {
        this.store = store;
        this.orchestrator = orchestrator;
    }

    @KafkaListener(topics = Topics.Names.ECONOMY_SAGA_REPLIES, groupId = CONSUMER)
    void on(ConsumerRecord<String, byte[]> record) {
        Envelope received = Contracts.fromBytes(record.value());
        // Replies are keyed by their saga: recorded as consumed on the saga's shard, with its effect.
        Shard shard = store.shardOf(UUID.fromString(received.aggregateId()));
        shard.inTransaction(() -> shard.inbox().accept(CONSUMER, received, Inbox.Ordering.ONCE, envelope -> {
            if (Contracts.payload(envelope) instanceof SagaReply reply) {
                orchestrator.onReply(reply);
            }
        }));
    }
}
