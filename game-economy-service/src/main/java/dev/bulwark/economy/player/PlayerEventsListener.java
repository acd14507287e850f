package dev.bulwark.economy.player;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.bulwark.economy.loot.Fence;
import dev.bulwark.economy.wallet.Wallets;
import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Topics;
import dev.bulwark.events.player.AuthorityChanged;
import dev.bulwark.events.player.PlayerRegistered;
import dev.bulwark.platform.messaging.Inbox;

/** Opens a wallet for every registered player, exactly once, and raises authority fences as leases change hands. */
@Component
class PlayerEventsListener {

    static final String CONSUMER = "economy.player-events";

    private final Inbox inbox;
    private final Wallets wallets;
    private final Fence fence;

    PlayerEventsListener(Inbox inbox, Wallets wallets, Fence fence) {
        this.inbox = inbox;
        this.wallets = wallets;
        this.fence = fence;
    }

    @KafkaListener(topics = Topics.Names.PLAYER_EVENTS)
    void on(ConsumerRecord<String, byte[]> record) {
        inbox.accept(CONSUMER, Contracts.fromBytes(record.value()), Inbox.Ordering.IN_SEQUENCE, this::apply);
    }

    private void apply(Envelope envelope) {
        switch (Contracts.payload(envelope)) {
            case PlayerRegistered registered -> wallets.open(registered.playerId());
            case AuthorityChanged changed -> fence.raise(changed.playerId(), changed.epoch(), changed.serverId());
            default -> {
            }
        }
    }
}
