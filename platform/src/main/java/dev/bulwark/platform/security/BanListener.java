package dev.bulwark.platform.security;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.MessageType;
import dev.bulwark.events.Topics;
import dev.bulwark.events.player.OperatorDisabled;
import dev.bulwark.events.player.PlayerBanned;
import dev.bulwark.events.player.PlayerUnbanned;
import dev.bulwark.platform.messaging.Inbox;

/**
 * Feeds the {@link BanList} of every service from {@code player.events}, in a consumer group of
 * its own per service. Each message is applied once; the list's sequence check makes the order
 * of arrival irrelevant, so nothing is parked behind unrelated player events.
 */
public class BanListener {

    private final Inbox inbox;
    private final BanList bans;
    private final String consumer;

    public BanListener(Inbox inbox, BanList bans, String applicationName) {
        this.inbox = inbox;
        this.bans = bans;
        this.consumer = applicationName + ".bans";
    }

    @KafkaListener(topics = Topics.Names.PLAYER_EVENTS, groupId = "${spring.application.name}.bans")
    void on(ConsumerRecord<String, byte[]> record) {
        Envelope envelope = Contracts.fromBytes(record.value());
        if (!envelope.type().equals(MessageType.PLAYER_BANNED.id())
                && !envelope.type().equals(MessageType.PLAYER_UNBANNED.id())
                && !envelope.type().equals(MessageType.OPERATOR_DISABLED.id())) {
            return;
        }
        inbox.accept(consumer, envelope, Inbox.Ordering.ONCE, this::apply);
    }

    private void apply(Envelope envelope) {
        switch (Contracts.payload(envelope)) {
            case PlayerBanned banned -> bans.recordBan(banned.playerId().toString(), banned.until(), banned.reason(),
                    envelope.sequence(), envelope.occurredAt());
            case PlayerUnbanned unbanned -> bans.recordUnban(unbanned.playerId().toString(), envelope.sequence());
            // A disabled operator is banned for good: no token of theirs is accepted again.
            case OperatorDisabled disabled -> bans.recordBan(disabled.subject(), null, disabled.reason(),
                    envelope.sequence(), disabled.disabledAt());
            default -> {
            }
        }
    }
}
