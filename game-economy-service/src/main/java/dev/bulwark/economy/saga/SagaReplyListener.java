package dev.bulwark.economy.saga;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Topics;
import dev.bulwark.events.saga.SagaReply;
import dev.bulwark.platform.messaging.Inbox;

/** Feeds participants' replies to the orchestrator, each delivered message once. */
@Component
class SagaReplyListener {

    static final String CONSUMER = "economy.saga-replies";

    private final Inbox inbox;
    private final SagaOrchestrator orchestrator;

    SagaReplyListener(Inbox inbox, SagaOrchestrator orchestrator) {
        this.inbox = inbox;
        this.orchestrator = orchestrator;
    }

    @KafkaListener(topics = Topics.Names.ECONOMY_SAGA_REPLIES, groupId = CONSUMER)
    @Transactional
    void on(ConsumerRecord<String, byte[]> record) {
        inbox.accept(CONSUMER, Contracts.fromBytes(record.value()), Inbox.Ordering.ONCE, envelope -> {
            if (Contracts.payload(envelope) instanceof SagaReply reply) {
                orchestrator.onReply(reply);
            }
        });
    }
}
