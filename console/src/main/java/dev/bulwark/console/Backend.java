package dev.bulwark.console;

/** The services the console calls, named as the status page shows them. */
enum Backend {
    PLAYER_CORE("player-core"), ECONOMY("game-economy"), SOCIAL("social");

    private final String label;

    Backend(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
