package dev.bulwark.stack;

import java.net.URI;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The Bulwark services the stack runs, with the fixed ports and databases they are given. */
public enum Service {
    PLAYER_CORE("player-core-service", "player-core", 8081, "player_core"),
    GAME_ECONOMY("game-economy-service", "economy", 8082, "game_economy"),
    SOCIAL("social-service", "social", 8083, "social");

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

    public String database() {
        return database;
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
