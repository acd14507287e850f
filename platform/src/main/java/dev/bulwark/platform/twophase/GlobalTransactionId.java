package dev.bulwark.platform.twophase;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gid one participant prepares under: {@code bw_<coordinator>_<xid>_<participant>}. The
 * coordinator's name tells recovery which prepared transactions are its own (others on the same
 * server are left alone); the xid is the coordinator database's id of the transaction that writes
 * the decision, so recovery can ask that database whether the decision is still being made; the
 * participant's name keeps the gids distinct when two participants are databases of one server
 * (a gid is unique per server).
 */
record GlobalTransactionId(String coordinator, long xid, String participant) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]{1,40}");
    private static final Pattern GID = Pattern.compile("bw_([a-z0-9]+)_([0-9]+)_([a-z0-9]+)");

    GlobalTransactionId {
        requireName(coordinator, "coordinator");
        requireName(participant, "participant");
    }

    static String requireName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A " + what + " name is 1-40 lower-case letters and digits: " + name);
        }
        return name;
    }

    /** The start every gid of {@code coordinator} shares. */
    static String prefix(String coordinator) {
        return "bw_" + coordinator + "_";
    }

    static Optional<GlobalTransactionId> parse(String gid) {
        Matcher m = GID.matcher(gid);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new GlobalTransactionId(m.group(1), Long.parseLong(m.group(2)), m.group(3)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The transaction's id across all participants, as the hooks and logs name it. */
    static String transactionId(String coordinator, long xid) {
        return prefix(coordinator) + xid;
    }

    String gid() {
        return transactionId(coordinator, xid) + "_" + participant;
    }

    @Override
    public String toString() {
        return gid();
    }
}
