package dev.bulwark.stack;

import java.util.List;

/**
 * Development client credentials. The services ship the same values as their local defaults, so a stack started
 * by {@code ./bulwark} accepts them without configuration.
 */
public record DevClient(String clientId, String secret, String kind) {

    public static final DevClient GAME_SERVER_EU_1 = new DevClient("gs-eu-1", "dev-secret-gs-eu-1", "game server");
    public static final DevClient GAME_SERVER_EU_2 = new DevClient("gs-eu-2", "dev-secret-gs-eu-2", "game server");
    public static final DevClient OPERATOR = new DevClient("ops", "dev-secret-ops", "operator");

    /** The console's first operator (ADMIN), which player-core creates at start-up on the stack only. */
    public static final String CONSOLE_OPERATOR = "admin";
    public static final String CONSOLE_PASSWORD = "dev-console-admin";

    public static final List<DevClient> ALL = List.of(GAME_SERVER_EU_1, GAME_SERVER_EU_2, OPERATOR);
}
