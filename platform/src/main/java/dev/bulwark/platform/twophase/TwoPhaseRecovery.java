package dev.bulwark.platform.twophase;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bulwark.platform.messaging.SingleInstance;

/**
 * Resolves the transactions a coordinator left prepared: commits those whose decision row exists,
 * rolls back those without one (presumed abort), and deletes decision rows once no participant
 * holds their transaction prepared. Citus' order makes it safe beside coordinators that are
 * running: the participants' prepared transactions are listed <em>before</em> the decisions are
 * read and listed again after, and only a transaction in both listings is acted on. A prepared
 * transaction whose decision is not there yet is left alone while the coordinator's decision
 * transaction is still running ({@code pg_xact_status} of the xid in its gid, asked of the
 * coordinator database, so this holds across replicas), and while it is younger than the grace
 * period.
 */
public final class TwoPhaseRecovery {

    /** What one pass did. */
    public record Result(int committed, int rolledBack, int inFlight, int young, int decisionsDeleted,
            List<String> unreachable) {
    }

    private record Prepared(GlobalTransactionId gid, double ageSeconds) {
    }

    private static final Logger log = LoggerFactory.getLogger(TwoPhaseRecovery.class);

    private final String coordinator;
    private final JdbcClient decisions;
    private final Map<String, DataSource> participants;
    private final Duration gracePeriod;
    private final SingleInstance singleInstance;

    TwoPhaseRecovery(String coordinator, DataSource decisions, Map<String, DataSource> participants, Duration gracePeriod) {
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("A grace period cannot be negative");
        }
        this.coordinator = coordinator;
        this.decisions = JdbcClient.create(decisions);
        this.participants = new LinkedHashMap<>(participants);
        this.gracePeriod = gracePeriod;
        this.singleInstance = new SingleInstance(this.decisions, new TransactionTemplate(new DataSourceTransactionManager(decisions)));
    }

    /**
     * One pass, under a lock in the coordinator database so that one replica at a time recovers;
     * empty if another holds it.
     */
    public Optional<Result> recoverIfFree() {
        AtomicReference<Result> result = new AtomicReference<>();
        singleInstance.runIfFree("twophase-recovery:" + coordinator, () -> result.set(recover()));
        return Optional.ofNullable(result.get());
    }

    /**
     * Runs {@link #recoverIfFree} now and then every {@code interval} on a thread of its own,
     * until the returned handle is closed. A failing pass is logged and the next one tries again.
     */
    public AutoCloseable schedule(Duration interval) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("twophase-recovery-" + coordinator).daemon().factory());
        timer.scheduleWithFixedDelay(() -> {
            try {
                recoverIfFree().filter(r -> r.committed() + r.rolledBack() + r.decisionsDeleted() > 0)
                        .ifPresent(r -> log.info("Two-phase recovery of {}: {}", coordinator, r));
            } catch (RuntimeException e) {
                log.warn("Two-phase recovery of {} failed; retrying in {}", coordinator, interval, e);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    /** One pass, without the lock (recoverIfFree is what replicas call). */
    public Result recover() {
        List<String> unreachable = new ArrayList<>();
        Map<String, List<Prepared>> first = listAll(unreachable);
        Map<Long, List<String>> decided = decisions();
        Map<String, List<Prepared>> second = listAll(unreachable);

        int committed = 0;
        int rolledBack = 0;
        int inFlight = 0;
        int young = 0;
        Map<String, Set<String>> finishedNow = new HashMap<>();
        for (Map.Entry<String, List<Prepared>> listed : first.entrySet()) {
            String participant = listed.getKey();
            Set<String> stillPrepared = gids(second.get(participant));
            for (Prepared prepared : listed.getValue()) {
                GlobalTransactionId gid = prepared.gid();
                if (!stillPrepared.contains(gid.gid())) {
                    continue; // finished meanwhile, by its coordinator or another pass
                }
                boolean commit;
                if (decided.containsKey(gid.xid())) {
                    commit = true;
                } else {
                    Optional<String> status = status(gid.xid());
                    if (status.isEmpty() || status.get().equals("in progress")) {
                        inFlight++; // its coordinator is deciding now; or the status is unknown, see status()
                        continue;
                    }
                    // Read the log again after the status: a decision committed since the first read counts.
                    commit = decided(gid.xid());
                    if (!commit && prepared.ageSeconds() < gracePeriod.toMillis() / 1000.0) {
                        young++;
                        continue;
                    }
                }
                if (finish(participant, gid, commit)) {
                    finishedNow.computeIfAbsent(participant, p -> new HashSet<>()).add(gid.gid());
                    if (commit) {
                        committed++;
                    } else {
                        rolledBack++;
                    }
                }
            }
        }
        int deleted = deleteFinished(decided, second, finishedNow);
        return new Result(committed, rolledBack, inFlight, young, deleted, List.copyOf(new HashSet<>(unreachable)));
    }

    /**
     * A decision read before the second listing was committed after all its participants
     * prepared, so a gid of it missing from that listing was committed: once none is left, the
     * row can go. Rows naming a participant that was not listed (unreachable, or unknown here)
     * stay.
     */
    private int deleteFinished(Map<Long, List<String>> decided, Map<String, List<Prepared>> second,
            Map<String, Set<String>> finishedNow) {
        List<Long> done = new ArrayList<>();
        for (Map.Entry<Long, List<String>> decision : decided.entrySet()) {
            boolean finished = decision.getValue().stream().allMatch(participant -> {
                if (!second.containsKey(participant)) {
                    return false;
                }
                String gid = new GlobalTransactionId(coordinator, decision.getKey(), participant).gid();
                return !gids(second.get(participant)).contains(gid)
                        || finishedNow.getOrDefault(participant, Set.of()).contains(gid);
            });
            if (finished) {
                done.add(decision.getKey());
            }
        }
        if (done.isEmpty()) {
            return 0;
        }
        return decisions.sql("DELETE FROM twophase_decision WHERE coordinator = :coordinator AND xid = ANY(:xids)")
                .param("coordinator", coordinator).param("xids", done.toArray(Long[]::new)).update();
    }

    private Map<String, List<Prepared>> listAll(List<String> unreachable) {
        Map<String, List<Prepared>> listed = new LinkedHashMap<>();
        participants.forEach((name, dataSource) -> {
            try {
                listed.put(name, list(name, dataSource));
            } catch (RuntimeException e) {
                log.warn("Two-phase recovery cannot list participant {}: {}", name, e.toString());
                unreachable.add(name);
            }
        });
        return listed;
    }

    private List<Prepared> list(String participant, DataSource dataSource) {
        return JdbcClient.create(dataSource).sql("""
                        SELECT gid, extract(epoch FROM now() - prepared)::float8 AS age FROM pg_prepared_xacts
                        WHERE database = current_database() AND starts_with(gid, :prefix)""")
                .param("prefix", GlobalTransactionId.prefix(coordinator))
                .query((rs, n) -> {
                    double age = rs.getDouble("age");
                    return GlobalTransactionId.parse(rs.getString("gid"))
                            .filter(gid -> gid.participant().equals(participant))
                            .map(gid -> new Prepared(gid, age));
                })
                .list().stream().flatMap(Optional::stream).toList();
    }

    private static Set<String> gids(List<Prepared> listed) {
        Set<String> gids = new HashSet<>();
        if (listed != null) {
            listed.forEach(p -> gids.add(p.gid().gid()));
        }
        return gids;
    }

    private Map<Long, List<String>> decisions() {
        Map<Long, List<String>> decided = new HashMap<>();
        decisions.sql("SELECT xid, participants FROM twophase_decision WHERE coordinator = :coordinator")
                .param("coordinator", coordinator)
                .query((rs, n) -> Map.entry(rs.getLong("xid"), names(rs.getArray("participants"))))
                .list().forEach(e -> decided.put(e.getKey(), e.getValue()));
        return decided;
    }

    private boolean decided(long xid) {
        return decisions.sql("SELECT count(*) FROM twophase_decision WHERE coordinator = :coordinator AND xid = :xid")
                .param("coordinator", coordinator).param("xid", xid).query(Long.class).single() > 0;
    }

    /**
     * The decision transaction's status in the coordinator database: in progress, committed or
     * aborted; NULL once too old to be known (then it ended long ago). Empty if the database
     * cannot say — an xid "in the future", after a failover to a standby that had not seen it:
     * left for a later pass, and for the age alert, rather than guessed.
     */
    private Optional<String> status(long xid) {
        try {
            String status = decisions.sql("SELECT pg_xact_status(CAST(CAST(:xid AS text) AS xid8))")
                    .param("xid", xid).query(String.class).optional().orElse(null);
            return Optional.of(status == null ? "forgotten" : status);
        } catch (RuntimeException e) {
            log.warn("Status of coordinator transaction {} unknown: {}", xid, e.toString());
            return Optional.empty();
        }
    }

    private static List<String> names(Array array) throws SQLException {
        return List.of((String[]) array.getArray());
    }

    /** COMMIT or ROLLBACK PREPARED; false if the participant could not be reached or another finished it. */
    private boolean finish(String participant, GlobalTransactionId gid, boolean commit) {
        try (Connection connection = participants.get(participant).getConnection()) {
            Sql.finishPrepared(connection, gid, commit);
            log.info("Two-phase recovery {} {}", commit ? "committed" : "rolled back", gid);
            return true;
        } catch (SQLException e) {
            if (!Sql.finishedElsewhere(e)) {
                log.warn("Two-phase recovery could not {} {}: {}", commit ? "commit" : "roll back", gid, e.toString());
            }
            return false;
        }
    }
}
