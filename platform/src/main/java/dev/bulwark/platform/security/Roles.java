package dev.bulwark.platform.security;

/**
 * The kinds of caller. A token carries them in its {@code roles} claim. {@link #VIEWER} is an
 * operator who may read what {@link #ADMIN} may read (the admin GETs, players' data) but change
 * nothing: a console account for support staff.
 */
public final class Roles {

    public static final String PLAYER = "PLAYER";
    public static final String GAME_SERVER = "GAME_SERVER";
    public static final String ADMIN = "ADMIN";
    public static final String VIEWER = "VIEWER";

    /** The subject of a named operator's token (ADMIN or VIEWER) is this and the operator's username. */
    public static final String OPERATOR_SUBJECT_PREFIX = "operator:";

    private Roles() {
    }
}
