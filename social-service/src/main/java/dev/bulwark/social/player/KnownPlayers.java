package dev.bulwark.social.player;

import java.sql.Timestamp;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Topics;
import dev.bulwark.events.player.PlayerRegistered;
import dev.bulwark.platform.messaging.Inbox;

/** The local projection of registered players. */
@Component
class KnownPlayers {

    static final String CONSUMER = "social.player-events";

    private final Inbox inbox;
    private final JdbcClient jdbc;

    KnownPlayers(Inbox inbox, JdbcClient jdbc) {
        this.inbox = inbox;
        this.jdbc = jdbc;
    }

    @KafkaListener(topics = Topics.Names.PLAYER_EVENTS)
    void on(ConsumerRecord<String, byte[]> record) {
        inbox.accept(CONSUMER, Contracts.fromBytes(record.value()), Inbox.Ordering.IN_SEQUENCE, this::apply);
    }

    private void apply(Envelope envelope) {
        if (Contracts.payload(envelope) instanceof PlayerRegistered registered) {
            jdbc.sql("""
                    INSERT INTO known_player (player_id, display_name, known_since) VALUES (:id, :name, :at)
                    ON CONFLICT (player_id) DO NOTHING""")
                    .param("id", registered.playerId()).param("name", registered.displayName())
                    .param("at", Timestamp.from(registered.registeredAt())).update();
        }
    }
}
