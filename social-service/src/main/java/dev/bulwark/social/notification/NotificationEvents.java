package dev.bulwark.social.notification;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Payload;
import dev.bulwark.events.Topics;
import dev.bulwark.events.economy.HoldCaptured;
import dev.bulwark.events.economy.HoldReleased;
import dev.bulwark.events.social.FriendshipChanged;
import dev.bulwark.events.social.GuildCreated;
import dev.bulwark.events.social.GuildMemberJoined;
import dev.bulwark.events.social.GuildMemberLeft;
import dev.bulwark.events.social.GuildRoleChanged;
import dev.bulwark.platform.messaging.Inbox;
import dev.bulwark.social.notification.Notifications.Kind;

/**
 * Turns the events the services already publish into notifications, once per event: the
 * platform's inbox records the event id in the same transaction as the notification, so a
 * redelivery (after a restart of social, a rebalance, or a resend by a producer's relay) adds
 * nothing. Its own consumer group, so it reads every partition beside the other consumers of
 * these topics. Order does not matter to an inbox, so events are taken as they come.
 */
@Component
class NotificationEvents {

    static final String CONSUMER = "social.notifications";
    static final String LISTENER = "social-notifications";

    private final Inbox inbox;
    private final Notifications notifications;

    NotificationEvents(Inbox inbox, Notifications notifications) {
        this.inbox = inbox;
        this.notifications = notifications;
    }

    @KafkaListener(id = NotificationEvents.LISTENER, topics = { Topics.Names.SOCIAL_EVENTS, Topics.Names.ECONOMY_EVENTS },
            groupId = "social-notifications")
    void on(ConsumerRecord<String, byte[]> record) {
        inbox.accept(CONSUMER, Contracts.fromBytes(record.value()), Inbox.Ordering.ONCE, this::apply);
    }

    private void apply(Envelope envelope) {
        Payload payload = Contracts.payload(envelope);
        switch (payload) {
            case FriendshipChanged f when f.state().equals("INVITE_RECEIVED") ->
                    notifications.add(f.playerId(), Kind.FRIEND_REQUEST, f.otherId(), null, envelope.eventId());
            case FriendshipChanged f when f.state().equals("FRIEND") -> {
                // The side that accepted had the request in its inbox: it is answered, not news.
                if (notifications.has(f.playerId(), Kind.FRIEND_REQUEST, f.otherId())) {
                    notifications.markReadAbout(f.playerId(), Kind.FRIEND_REQUEST, f.otherId());
                } else {
                    notifications.add(f.playerId(), Kind.FRIEND_ACCEPTED, f.otherId(), null, envelope.eventId());
                }
            }
            case GuildMemberJoined j when !j.role().equals("LEADER") ->
                    notifications.add(j.playerId(), Kind.GUILD_JOINED, j.guildId(), null, envelope.eventId());
            case GuildMemberLeft l when l.reason().equals("KICKED") ->
                    notifications.add(l.playerId(), Kind.GUILD_REMOVED, l.guildId(), null, envelope.eventId());
            case GuildRoleChanged r ->
                    notifications.add(r.playerId(), Kind.GUILD_ROLE_CHANGED, r.guildId(), r.role(), envelope.eventId());
            case GuildCreated c ->
                    notifications.add(c.leaderId(), Kind.GUILD_CREATED, c.guildId(), c.name(), envelope.eventId());
            case HoldCaptured h ->
                    notifications.add(h.playerId(), Kind.PURCHASE_COMPLETED, h.holdId(), null, envelope.eventId());
            case HoldReleased h ->
                    notifications.add(h.playerId(), Kind.PURCHASE_FAILED, h.holdId(), null, envelope.eventId());
            default -> {
                // other events are nobody's news
            }
        }
    }
}
