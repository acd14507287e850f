package dev.bulwark.platform.twophase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import dev.bulwark.platform.twophase.TwoPhaseHooks.Point;

/**
 * A two-phase-commit coordinator over PostgreSQL's {@code PREPARE TRANSACTION}, with its durable
 * decision log in a table of its own database (Citus' model: the coordinator's local commit of
 * the decision row is the decision).
 *
 * <p>One {@link #execute} runs each participant's work in its own transaction on its own
 * connection, in the order given (the caller's lock order: player-id order across shards, so two
 * transactions never wait on each other in a cycle), then prepares every participant, commits
 * the decision row, and commits every participant. Until the decision commits, any failure rolls
 * every participant back; after it, nothing can stop the commit: a participant that cannot be
 * reached then is committed by {@link TwoPhaseRecovery}, which resolves every transaction a
 * coordinator left prepared (presumed abort: no decision row, roll back).
 *
 * <p>Each participant transaction runs with a {@code lock_timeout}, because PostgreSQL cannot see
 * a deadlock that spans two servers: a cycle that the lock order did not prevent ends with one
 * transaction failing retryably instead of both waiting forever.
 */
public final class TwoPhaseCommit {

    /** One participant's share of a global transaction: statements on that participant only. */
    @FunctionalInterface
    public interface ParticipantWork {

        /**
         * Runs on the participant's connection, inside its transaction (do not commit). Throwing
         * aborts the global transaction.
         */
        void run(JdbcClient jdbc);

        /**
         * Runs on the participant's own connection, for work that reaches its database through
         * code of its own (a caller binds the connection where that code looks for it). By
         * default {@link #run} on a client over the connection.
         */
        default void runOn(Connection connection) {
            run(JdbcClient.create(new SingleConnectionDataSource(connection, true)));
        }
    }

    /** The work for the participant registered under {@code participant}. */
    public record Work(String participant, ParticipantWork work) {

        public Work {
            Objects.requireNonNull(participant, "participant");
            Objects.requireNonNull(work, "work");
        }
    }

    /**
     * A committed global transaction. {@code unfinished} names participants whose
     * {@code COMMIT PREPARED} could not be sent after the decision (their server went away):
     * committed all the same — recovery finishes them — but their effects are not visible yet.
     */
    public record Committed(String transactionId, List<String> unfinished) {
    }

    private static final Logger log = LoggerFactory.getLogger(TwoPhaseCommit.class);

    private final String coordinator;
    private final DataSource decisions;
    private final Map<String, DataSource> participants;
    private final Duration lockTimeout;
    private final TwoPhaseHooks hooks;

    private TwoPhaseCommit(Builder builder) {
        this.coordinator = builder.coordinator;
        this.decisions = builder.decisions;
        this.participants = Map.copyOf(builder.participants);
        this.lockTimeout = builder.lockTimeout;
        this.hooks = builder.hooks;
    }

    /**
     * A coordinator named {@code coordinator} (unique among the coordinators whose participants
     * share a server; it prefixes every gid so that recovery recognises its own), writing its
     * decisions to {@code decisions} (a database with the platform's {@code twophase_decision}).
     */
    public static Builder builder(String coordinator, DataSource decisions) {
        return new Builder(coordinator, decisions);
    }

    public static final class Builder {

        private final String coordinator;
        private final DataSource decisions;
        private final Map<String, DataSource> participants = new LinkedHashMap<>();
        private Duration lockTimeout = Duration.ofSeconds(2);
        private TwoPhaseHooks hooks = TwoPhaseHooks.NONE;

        private Builder(String coordinator, DataSource decisions) {
            this.coordinator = GlobalTransactionId.requireName(coordinator, "coordinator");
            this.decisions = Objects.requireNonNull(decisions, "decisions");
        }

        /** A participant database (a shard), by a stable name: gids and decision rows carry it. */
        public Builder participant(String name, DataSource dataSource) {
            GlobalTransactionId.requireName(name, "participant");
            if (participants.putIfAbsent(name, Objects.requireNonNull(dataSource, name)) != null) {
                throw new IllegalArgumentException("Participant " + name + " registered twice");
            }
            return this;
        }

        /** How long a participant's statement waits for a row lock before the whole transaction aborts (2 s). */
        public Builder lockTimeout(Duration lockTimeout) {
            if (lockTimeout.isNegative() || lockTimeout.isZero()) {
                throw new IllegalArgumentException("A lock timeout must be positive (0 would wait forever)");
            }
            this.lockTimeout = lockTimeout;
            return this;
        }

        public Builder hooks(TwoPhaseHooks hooks) {
            this.hooks = Objects.requireNonNull(hooks, "hooks");
            return this;
        }

        public TwoPhaseCommit build() {
            if (participants.size() < 2) {
                throw new IllegalStateException("Two-phase commit needs at least two participants");
            }
            return new TwoPhaseCommit(this);
        }
    }

    /** Recovery of this coordinator's in-doubt transactions, over the same participants. */
    public TwoPhaseRecovery recovery(Duration gracePeriod) {
        return new TwoPhaseRecovery(coordinator, decisions, participants, gracePeriod);
    }

    /** Gauges of the transactions this coordinator holds prepared on each participant. */
    public PreparedTransactionMetrics metrics() {
        return new PreparedTransactionMetrics(coordinator, participants);
    }

    /** One participant's connection and how far its transaction got. */
    private static final class Branch {

        final String name;
        final DataSource dataSource;
        final ParticipantWork work;
        Connection connection;
        GlobalTransactionId gid;
        /** PREPARE was sent: the transaction may be prepared even if the answer was lost. */
        boolean prepareSent;

        Branch(String name, DataSource dataSource, ParticipantWork work) {
            this.name = name;
            this.dataSource = dataSource;
            this.work = work;
        }
    }

    /**
     * Runs the works as one atomic transaction across their participants, in list order.
     *
     * @throws TwoPhaseAbortedException nothing committed anywhere
     * @throws TwoPhaseInDoubtException the decision's own commit was cut off; recovery decides
     */
    public Committed execute(List<Work> works) {
        List<Branch> branches = branches(works);
        Connection decision = null;
        String transactionId = GlobalTransactionId.prefix(coordinator) + "unassigned";
        try {
            try {
                decision = decisions.getConnection();
                decision.setAutoCommit(false);
                long xid = currentXid(decision);
                transactionId = GlobalTransactionId.transactionId(coordinator, xid);
                for (Branch branch : branches) {
                    branch.gid = new GlobalTransactionId(coordinator, xid, branch.name);
                }
                // Every connection before any work: a participant that cannot be reached fails the
                // transaction before it holds a single lock anywhere.
                for (Branch branch : branches) {
                    branch.connection = branch.dataSource.getConnection();
                    branch.connection.setAutoCommit(false);
                }
                for (Branch branch : branches) {
                    setLockTimeout(branch.connection);
                    branch.work.runOn(branch.connection);
                }
                for (int i = 0; i < branches.size(); i++) {
                    Branch branch = branches.get(i);
                    branch.prepareSent = true;
                    Sql.execute(branch.connection, "PREPARE TRANSACTION '" + branch.gid.gid() + "'");
                    if (i == 0) {
                        hooks.reached(Point.AFTER_FIRST_PREPARE, transactionId);
                    }
                }
                record(decision, xid, branches);
                hooks.reached(Point.BEFORE_DECISION, transactionId);
            } catch (RuntimeException | SQLException e) {
                abort(decision, branches, transactionId);
                throw new TwoPhaseAbortedException("Global transaction " + transactionId + " rolled back: " + e.getMessage(),
                        e, Sql.transientFailure(e));
            }
            try {
                decision.commit();
            } catch (SQLException e) {
                // The commit may have reached the server before the connection broke: only the
                // decision log can tell, so every participant stays prepared for recovery.
                throw new TwoPhaseInDoubtException(transactionId, e);
            }
            closeQuietly(decision);
            hooks.reached(Point.AFTER_DECISION, transactionId);
            List<String> unfinished = new ArrayList<>();
            for (int i = 0; i < branches.size(); i++) {
                Branch branch = branches.get(i);
                if (!commitPrepared(branch)) {
                    unfinished.add(branch.name);
                }
                if (i == 0) {
                    hooks.reached(Point.AFTER_FIRST_COMMIT, transactionId);
                }
            }
            return new Committed(transactionId, List.copyOf(unfinished));
        } finally {
            // Also when a hook threw an Error (a simulated crash): the server then ends the open
            // transactions as it would for a process that died; prepared ones stay for recovery.
            closeQuietly(decision);
            branches.forEach(b -> closeQuietly(b.connection));
        }
    }

    private List<Branch> branches(List<Work> works) {
        if (works.size() < 2) {
            throw new IllegalArgumentException("A global transaction spans at least two participants; run one locally");
        }
        Set<String> seen = new HashSet<>();
        List<Branch> branches = new ArrayList<>(works.size());
        for (Work work : works) {
            DataSource dataSource = participants.get(work.participant());
            if (dataSource == null) {
                throw new IllegalArgumentException("Unknown participant " + work.participant());
            }
            if (!seen.add(work.participant())) {
                throw new IllegalArgumentException("Participant " + work.participant() + " appears twice; merge its work");
            }
            branches.add(new Branch(work.participant(), dataSource, work.work()));
        }
        return branches;
    }

    private static long currentXid(Connection decision) throws SQLException {
        // Assigns the decision transaction its id now, before any participant prepares under it.
        try (PreparedStatement s = decision.prepareStatement("SELECT pg_current_xact_id()::text::bigint");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void setLockTimeout(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
            s.setString(1, lockTimeout.toMillis() + "ms");
            s.execute();
        }
    }

    private void record(Connection decision, long xid, List<Branch> branches) throws SQLException {
        try (PreparedStatement s = decision.prepareStatement(
                "INSERT INTO twophase_decision (coordinator, xid, participants) VALUES (?, ?, ?)")) {
            s.setString(1, coordinator);
            s.setLong(2, xid);
            s.setArray(3, decision.createArrayOf("text", branches.stream().map(b -> b.name).toArray()));
            s.executeUpdate();
        }
    }

    /** Before the decision: undo every participant now, so that no lock outlives the failure. */
    private static void abort(Connection decision, List<Branch> branches, String transactionId) {
        if (decision != null) {
            try {
                decision.rollback();
            } catch (SQLException e) {
                log.debug("Decision transaction of {} not rolled back (its connection is gone): {}", transactionId, e.toString());
            }
        }
        for (Branch branch : branches) {
            if (branch.connection == null) {
                continue;
            }
            if (!branch.prepareSent) {
                try {
                    branch.connection.rollback();
                } catch (SQLException e) {
                    // a broken connection: the server rolls the transaction back as the session ends
                    log.debug("Participant {} of {} not rolled back: {}", branch.name, transactionId, e.toString());
                }
                continue;
            }
            try {
                finishPrepared(branch, false);
            } catch (SQLException e) {
                if (!Sql.UNDEFINED_OBJECT.equals(e.getSQLState())) {
                    log.warn("Participant {} of {} may hold a prepared transaction; recovery rolls it back: {}", branch.name,
                            transactionId, e.toString());
                }
            }
        }
    }

    /** Phase two for one participant; false if its server could not be told (recovery will). */
    private static boolean commitPrepared(Branch branch) {
        try {
            finishPrepared(branch, true);
            return true;
        } catch (SQLException e) {
            if (Sql.finishedElsewhere(e)) {
                return true; // recovery got there first
            }
            log.warn("Participant {} of {} committed in the decision log but not yet on its server; recovery finishes it: {}",
                    branch.name, branch.gid, e.toString());
            return false;
        }
    }

    /**
     * {@code COMMIT/ROLLBACK PREPARED} on the branch's own connection, or on a fresh one if that
     * connection broke: a prepared transaction belongs to no session, any connection to its
     * database can finish it.
     */
    private static void finishPrepared(Branch branch, boolean commit) throws SQLException {
        try {
            Sql.finishPrepared(branch.connection, branch.gid, commit);
            return;
        } catch (SQLException first) {
            if (Sql.finishedElsewhere(first)) {
                throw first;
            }
            log.debug("Finishing {} on a fresh connection: {}", branch.gid, first.toString());
        }
        closeQuietly(branch.connection);
        branch.connection = branch.dataSource.getConnection();
        branch.connection.setAutoCommit(true);
        Sql.finishPrepared(branch.connection, branch.gid, commit);
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("Closing a connection: {}", e.toString());
        }
    }
}
