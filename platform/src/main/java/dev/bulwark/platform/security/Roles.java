package dev.bulwark.platform.security;

/** The three kinds of caller. A token carries them in its {@code roles} claim. */
public final class Roles {

    public static final String PLAYER = "PLAYER";
    public static final String GAME_SERVER = "GAME_SERVER";
    public static final String ADMIN = "ADMIN";

    private Roles() {
    }
}
