package dev.bulwark.stack;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Bulwark processes the stack runs, with the fixed ports and databases they are given: the
 * three {@link #backends()} and the operator console, which has no database and talks only to them.
 */
public enum Service {
    PLAYER_CORE("player-core-service", "player-core", 8081, "player_core"),
    GAME_ECONOMY("game-economy-service", "economy", 8082, "game_economy"),
    SOCIAL("social-service", "social", 8083, "social"),
    CONSOLE("console", "console", 8084, null);

    private final String id;
    private final String shortName;
    private final int port;
    private final String database;

    Service(String id, String shortName, int port, String database) {
        this.id = id;
        this.shortName = shortName;
        this.port = port;
        this.database = database;
    }

    /** The Maven module and process name, e.g. {@code player-core-service}. */
    public String id() {
        return id;
    }

    /** The name in fault-link names: {@code economy} in {@code economy-postgres}. */
    public String shortName() {
        return shortName;
    }

    public int port() {
        return port;
    }

    /** The database, or null for the console. */
    public String database() {
        return database;
    }

    /** The services with a database and Kafka: everything but the console. */
    public static List<Service> backends() {
        return Arrays.stream(values()).filter(service -> service.database != null).toList();
    }

    public URI baseUrl() {
        return URI.create("http://localhost:" + port);
    }

    public static Service byId(String id) {
        return Arrays.stream(values())
                .filter(service -> service.id.equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown service '" + id + "'; expected one of "
                        + Arrays.stream(values()).map(Service::id).collect(Collectors.joining(", "))));
    }
}
