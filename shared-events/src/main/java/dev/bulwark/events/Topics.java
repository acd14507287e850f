package dev.bulwark.events;

import java.util.List;

/**
 * Every topic the services use. Keys are aggregate ids, so one aggregate's messages share a
 * partition; consumers still order them by {@link Envelope#sequence()}, because delivery from
 * the outbox is at-least-once and not ordered.
 */
public final class Topics {

    public static final Topic PLAYER_EVENTS = new Topic(Names.PLAYER_EVENTS, "playerId", Envelope.class);
    public static final Topic ECONOMY_EVENTS = new Topic(Names.ECONOMY_EVENTS, "playerId", Envelope.class);
    public static final Topic SOCIAL_EVENTS = new Topic(Names.SOCIAL_EVENTS, "guildId or playerId", Envelope.class);
    public static final Topic PLAYER_COMMANDS = new Topic(Names.PLAYER_COMMANDS, "sagaId", Envelope.class);
    public static final Topic SOCIAL_COMMANDS = new Topic(Names.SOCIAL_COMMANDS, "sagaId", Envelope.class);
    public static final Topic ECONOMY_SAGA_REPLIES = new Topic(Names.ECONOMY_SAGA_REPLIES, "sagaId", Envelope.class);
    public static final Topic SOCIAL_REPLICATION = new Topic(Names.SOCIAL_REPLICATION, "replicaId", Envelope.class);

    public static final List<Topic> ALL = List.of(PLAYER_EVENTS, ECONOMY_EVENTS, SOCIAL_EVENTS,
            PLAYER_COMMANDS, SOCIAL_COMMANDS, ECONOMY_SAGA_REPLIES, SOCIAL_REPLICATION);

    private Topics() {
    }

    /**
     * The same names as compile-time constants, for annotations such as
     * {@code @KafkaListener(topics = Topics.Names.PLAYER_EVENTS)}, so no listener spells a topic itself.
     */
    public static final class Names {

        public static final String PLAYER_EVENTS = "player.events";
        public static final String ECONOMY_EVENTS = "economy.events";
        public static final String SOCIAL_EVENTS = "social.events";
        public static final String PLAYER_COMMANDS = "player.commands";
        public static final String SOCIAL_COMMANDS = "social.commands";
        public static final String ECONOMY_SAGA_REPLIES = "economy.saga-replies";
        public static final String SOCIAL_REPLICATION = "social.replication";

        private Names() {
        }
    }

    public static Topic named(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown topic " + name));
    }
}
