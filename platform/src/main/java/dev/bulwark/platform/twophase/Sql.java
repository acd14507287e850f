package dev.bulwark.platform.twophase;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The few SQL states the protocol tells apart, and statements that take a gid. */
final class Sql {

    /** {@code COMMIT/ROLLBACK PREPARED} of a gid that is not (or no longer) prepared. */
    static final String UNDEFINED_OBJECT = "42704";
    /** Another session is finishing the same prepared transaction. */
    static final String OBJECT_IN_USE = "55006";

    private Sql() {
    }

    static void finishPrepared(Connection connection, GlobalTransactionId gid, boolean commit) throws SQLException {
        // After PREPARE the session is idle; COMMIT/ROLLBACK PREPARED must not run in a transaction block.
        if (!connection.getAutoCommit()) {
            connection.setAutoCommit(true);
        }
        // gids are made of [a-z0-9_] only (GlobalTransactionId), so the literal needs no escaping
        execute(connection, (commit ? "COMMIT PREPARED '" : "ROLLBACK PREPARED '") + gid.gid() + "'");
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    /** The first SQL state in a cause chain (Spring's exceptions wrap the driver's). */
    static String state(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e && e.getSQLState() != null) {
                return e.getSQLState();
            }
        }
        return "";
    }

    /** Already finished, or being finished by someone else: nothing left for this caller to do. */
    static boolean finishedElsewhere(SQLException e) {
        return UNDEFINED_OBJECT.equals(e.getSQLState()) || OBJECT_IN_USE.equals(e.getSQLState());
    }

    /**
     * Failures that another attempt may not meet: lock timeout, deadlock, serialization failure,
     * a lost or refused connection.
     */
    static boolean transientFailure(Throwable failure) {
        String state = state(failure);
        return state.equals("55P03") || state.equals("40P01") || state.equals("40001") || state.startsWith("08")
                || state.equals("57P01");
    }
}
