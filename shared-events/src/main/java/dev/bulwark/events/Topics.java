package dev.bulwark.events;

import java.util.List;

/**
 * Every topic the services use. Keys are aggregate ids, so one aggregate's messages share a
 * partition; consumers still order them by {@link Envelope#sequence()}, because delivery from
 * the outbox is at-least-once and not ordered.
 */
public final class Topics {

    public static final Topic PLAYER_EVENTS = new Topic("player.events", "playerId", Envelope.class);
    public static final Topic ECONOMY_EVENTS = new Topic("economy.events", "playerId", Envelope.class);
    public static final Topic SOCIAL_EVENTS = new Topic("social.events", "guildId or playerId", Envelope.class);
    public static final Topic PLAYER_COMMANDS = new Topic("player.commands", "sagaId", Envelope.class);
    public static final Topic SOCIAL_COMMANDS = new Topic("social.commands", "sagaId", Envelope.class);
    public static final Topic ECONOMY_SAGA_REPLIES = new Topic("economy.saga-replies", "sagaId", Envelope.class);
    public static final Topic SOCIAL_REPLICATION = new Topic("social.replication", "replicaId", Envelope.class);

    public static final List<Topic> ALL = List.of(PLAYER_EVENTS, ECONOMY_EVENTS, SOCIAL_EVENTS,
            PLAYER_COMMANDS, SOCIAL_COMMANDS, ECONOMY_SAGA_REPLIES, SOCIAL_REPLICATION);

    private Topics() {
    }

    public static Topic named(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown topic " + name));
    }
}
