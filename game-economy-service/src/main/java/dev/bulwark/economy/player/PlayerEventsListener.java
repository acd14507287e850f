package dev.bulwark.economy.player;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.bulwark.economy.loot.Fence;
import dev.bulwark.economy.wallet.Wallets;
import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.economy.loot.Fence;
import dev.bulwark.economy.sharding.Shard;
import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.events.Topics;
import dev.bulwark.events.player.AuthorityChanged;
import dev.bulwark.events.player.PlayerRegistered;
import dev.bulwark.platform.messaging.Inbox;

/** Opens a wallet for every registered player, exactly once, and raises authority fences as leases change hands. */
@Component
class PlayerEventsListener {

    static final String CONSUMER = "economy.player-events";

    private final Shards shards;
    private final Wallets wallets;
    private final Fence fence;

    PlayerEventsListener(Shards shards, Wallets wallets, Fence fence) {
        this.shards = shards;
        this.wallets = wallets;
        this.fence = fence;
    }

    @KafkaListener(topics = Topics.Names.PLAYER_EVENTS)
    void on(ConsumerRecord<String, byte[]> record) {
        Envelope envelope = Contracts.fromBytes(record.value());
        Shard shard = shards.forAggregate(envelope.aggregateId());
        shard.inTransaction(() -> shard.inbox().accept(CONSUMER, envelope, Inbox.Ordering.IN_SEQUENCE, this::apply));
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
