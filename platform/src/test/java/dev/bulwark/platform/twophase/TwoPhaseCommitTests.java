package dev.bulwark.platform.twophase;

import static dev.bulwark.platform.twophase.TwoShards.OPENING;
import static dev.bulwark.platform.twophase.TwoShards.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.platform.twophase.TwoPhaseCommit.Committed;
import dev.bulwark.platform.twophase.TwoPhaseCommit.Work;
import dev.bulwark.platform.twophase.TwoPhaseHooks.Point;
import dev.bulwark.platform.twophase.TwoPhaseRecovery.Result;
import dev.bulwark.platform.twophase.TwoShards.SimulatedCrash;

class TwoPhaseCommitTests {

    private static final TwoShards shards = TwoShards.get();

    @BeforeEach
    void reset() {
        shards.reset();
    }

    @Test
    void aTransferCommitsOnBothShardsAndLeavesNothingPrepared() {
        UUID id = UUID.randomUUID();

        Committed committed = transfer(shards.coordinator(TwoPhaseHooks.NONE), id, 1, 2, 300);

        assertThat(committed.unfinished()).isEmpty();
        assertThat(committed.transactionId()).startsWith("bw_test_");
        assertThat(shards.balance(1)).isEqualTo(OPENING - 300);
        assertThat(shards.balance(2)).isEqualTo(OPENING + 300);
        assertThat(shards.legs(id)).containsExactly(1, 1);
        assertThat(shards.prepared()).isZero();
        assertThat(shards.decisionRows()).as("the decision stays until recovery sees every participant done").isOne();
        Result result = shards.coordinator(TwoPhaseHooks.NONE).recovery(Duration.ZERO).recover();
        assertThat(result.decisionsDeleted()).isOne();
        assertThat(result.committed() + result.rolledBack()).isZero();
        assertThat(shards.decisionRows()).isZero();
    }

    @Test
    void aFailingParticipantRollsEveryParticipantBackAndIsNotRetryable() {
        UUID id = UUID.randomUUID();

        // more than account 2 holds: its CHECK (balance >= 0) fails on shard b, after shard a's leg ran
        assertThatThrownBy(() -> transfer(shards.coordinator(TwoPhaseHooks.NONE), id, 2, 1, OPENING + 1))
                .isInstanceOfSatisfying(TwoPhaseAbortedException.class, e -> assertThat(e.retryable()).isFalse());

        assertThat(shards.balance(1)).isEqualTo(OPENING);
        assertThat(shards.balance(2)).isEqualTo(OPENING);
        assertThat(shards.legs(id)).containsExactly(0, 0);
        assertThat(shards.prepared()).isZero();
        assertThat(shards.decisionRows()).isZero();
    }

    @Test
    void aGlobalTransactionNeedsTwoDistinctKnownParticipants() {
        TwoPhaseCommit coordinator = shards.coordinator(TwoPhaseHooks.NONE);
        TwoPhaseCommit.ParticipantWork nothing = jdbc -> { };
        assertThatThrownBy(() -> coordinator.execute(List.of(new Work("a", nothing))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> coordinator.execute(List.of(new Work("a", nothing), new Work("a", nothing))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> coordinator.execute(List.of(new Work("a", nothing), new Work("c", nothing))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The process dies at each point (its pools closed, aborting every connection, and the
     * protocol stopped by an Error its failure handling does not catch). A restarted process's
     * recovery leaves nothing prepared, and the transfer is applied on both shards or on neither:
     * on both exactly when the decision had committed.
     */
    @ParameterizedTest
    @EnumSource(Point.class)
    void aCoordinatorThatDiesAtAnyPointIsResolvedAllOrNothingByRecovery(Point point) {
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> transfer(shards.coordinator(shards.crashAt(point)), id, 1, 2, 300))
                .isInstanceOf(SimulatedCrash.class);
        shards.openPools();
        boolean decided = point == Point.AFTER_DECISION || point == Point.AFTER_FIRST_COMMIT;
        assertThat(shards.prepared()).as("left in doubt by the crash").isEqualTo(switch (point) {
            case AFTER_FIRST_PREPARE -> 1; // b's work was not prepared: its server rolled it back with the connection
            case BEFORE_DECISION, AFTER_DECISION -> 2;
            case AFTER_FIRST_COMMIT -> 1;
        });

        Result result = shards.coordinator(TwoPhaseHooks.NONE).recovery(Duration.ZERO).recover();

        assertThat(shards.prepared()).isZero();
        assertThat(result.committed()).isEqualTo(decided ? (point == Point.AFTER_FIRST_COMMIT ? 1 : 2) : 0);
        assertThat(result.rolledBack()).isEqualTo(decided ? 0 : (point == Point.AFTER_FIRST_PREPARE ? 1 : 2));
        assertThat(shards.legs(id)).containsExactly(decided ? 1 : 0, decided ? 1 : 0);
        assertThat(shards.balance(1)).isEqualTo(decided ? OPENING - 300 : OPENING);
        assertThat(shards.balance(2)).isEqualTo(decided ? OPENING + 300 : OPENING);
        assertThat(shards.total()).isEqualTo(2 * TwoShards.ACCOUNTS_PER_SHARD * OPENING);
        assertThat(shards.decisionRows()).as("a decision is forgotten once every participant committed").isZero();
    }

    @Test
    void recoveryLeavesATransactionWhoseDecisionIsBeingMadeAlone() {
        UUID id = UUID.randomUUID();
        Result[] during = new Result[1];
        TwoPhaseHooks recoverMeanwhile = (point, transactionId) -> {
            if (point == Point.BEFORE_DECISION) {
                // both prepared, the decision written but not committed, grace period none
                during[0] = shards.coordinator(TwoPhaseHooks.NONE).recovery(Duration.ZERO).recover();
            }
        };

        Committed committed = transfer(shards.coordinator(recoverMeanwhile), id, 1, 2, 300);

        assertThat(during[0].inFlight()).isEqualTo(2);
        assertThat(during[0].rolledBack()).isZero();
        assertThat(committed.unfinished()).isEmpty();
        assertThat(shards.legs(id)).containsExactly(1, 1);
        assertThat(shards.prepared()).isZero();
    }

    @Test
    void anUndecidedTransactionIsRolledBackOnlyAfterTheGracePeriod() {
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> transfer(shards.coordinator(shards.crashAt(Point.BEFORE_DECISION)), id, 1, 2, 300))
                .isInstanceOf(SimulatedCrash.class);
        shards.openPools();

        Result early = shards.coordinator(TwoPhaseHooks.NONE).recovery(Duration.ofHours(1)).recover();
        assertThat(early.young()).isEqualTo(2);
        assertThat(shards.prepared()).isEqualTo(2);

        Result late = shards.coordinator(TwoPhaseHooks.NONE).recovery(Duration.ZERO).recover();
        assertThat(late.rolledBack()).isEqualTo(2);
        assertThat(shards.prepared()).isZero();
        assertThat(shards.legs(id)).containsExactly(0, 0);
    }

    @Test
    void aDecidedTransactionIsCommittedWhateverItsAge() {
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> transfer(shards.coordinator(shards.crashAt(Point.AFTER_DECISION)), id, 1, 2, 300))
                .isInstanceOf(SimulatedCrash.class);
        shards.openPools();

        Result result = shards.coordinator(TwoPhaseHooks.NONE).recovery(Duration.ofHours(1)).recover();

        assertThat(result.committed()).isEqualTo(2);
        assertThat(shards.legs(id)).containsExactly(1, 1);
    }

    /** Between the phases the participant's backend is terminated: the commit goes through a fresh connection. */
    @ParameterizedTest
    @EnumSource(value = Point.class, names = {"BEFORE_DECISION", "AFTER_DECISION"})
    void aParticipantConnectionCutBetweenThePhasesStillCommits(Point point) {
        UUID id = UUID.randomUUID();
        TwoPhaseHooks cutB = (reached, transactionId) -> {
            if (reached == point) {
                assertThat(terminateBackends(shards.shard("b"))).isPositive();
            }
        };

        Committed committed = transfer(shards.coordinator(cutB), id, 1, 2, 300);

        assertThat(committed.unfinished()).isEmpty();
        assertThat(shards.legs(id)).containsExactly(1, 1);
        assertThat(shards.prepared()).isZero();
    }

    /**
     * The coordinator's own connection is cut after the decision row was written and before it
     * committed: the caller hears "in doubt", not "failed", and recovery finds no decision and
     * rolls both participants back.
     */
    @Test
    void aCoordinatorConnectionCutBeforeTheDecisionCommitsIsInDoubtUntilRecoveryRollsBack() {
        UUID id = UUID.randomUUID();
        TwoPhaseHooks cutCoordinator = (reached, transactionId) -> {
            if (reached == Point.BEFORE_DECISION) {
                assertThat(terminateBackends(shards.decisions())).isPositive();
            }
        };

        assertThatThrownBy(() -> transfer(shards.coordinator(cutCoordinator), id, 1, 2, 300))
                .isInstanceOf(TwoPhaseInDoubtException.class);
        assertThat(shards.prepared()).isEqualTo(2);

        Result result = shards.coordinator(TwoPhaseHooks.NONE).recovery(Duration.ZERO).recover();
        assertThat(result.rolledBack()).isEqualTo(2);
        assertThat(shards.legs(id)).containsExactly(0, 0);
        assertThat(shards.prepared()).isZero();
    }

    @Test
    void onlyOneReplicaRecoversAtATime() throws Exception {
        TwoPhaseRecovery recovery = shards.coordinator(TwoPhaseHooks.NONE).recovery(Duration.ZERO);
        try (Connection otherReplica = DriverManager.getConnection(shards.coordinatorUrl(), shards.user(), shards.password())) {
            otherReplica.setAutoCommit(false);
            try (Statement s = otherReplica.createStatement()) {
                // what another replica's recoverIfFree holds while it runs
                s.execute("SELECT pg_advisory_xact_lock(hashtextextended('twophase-recovery:test', 0))");
            }
            assertThat(recovery.recoverIfFree()).isEmpty();
            otherReplica.rollback();
        }
        assertThat(recovery.recoverIfFree()).isPresent();
    }

    @Test
    void scheduledRecoveryResolvesWhatACrashLeftWithoutBeingAsked() throws Exception {
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> transfer(shards.coordinator(shards.crashAt(Point.AFTER_FIRST_COMMIT)), id, 1, 2, 300))
                .isInstanceOf(SimulatedCrash.class);
        shards.openPools();
        assertThat(shards.prepared()).isOne();

        try (AutoCloseable scheduled = shards.coordinator(TwoPhaseHooks.NONE).recovery(Duration.ZERO)
                .schedule(Duration.ofMillis(100))) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> shards.prepared() == 0 && shards.decisionRows() == 0);
        }
        assertThat(shards.legs(id)).containsExactly(1, 1);
    }

    @Test
    void gaugesCountEachShardsPreparedTransactionsAndTheAgeOfTheOldest() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        shards.coordinator(TwoPhaseHooks.NONE).metrics().bindTo(registry);
        assertThat(gauge(registry, "bulwark.twophase.prepared", "a")).isZero();

        assertThatThrownBy(() -> transfer(shards.coordinator(shards.crashAt(Point.AFTER_DECISION)), UUID.randomUUID(), 1, 2, 3))
                .isInstanceOf(SimulatedCrash.class);
        shards.openPools();
        SimpleMeterRegistry restarted = new SimpleMeterRegistry();
        shards.coordinator(TwoPhaseHooks.NONE).metrics().bindTo(restarted);
        Thread.sleep(20);

        assertThat(gauge(restarted, "bulwark.twophase.prepared", "a")).isOne();
        assertThat(gauge(restarted, "bulwark.twophase.prepared", "b")).isOne();
        assertThat(gauge(restarted, "bulwark.twophase.prepared.oldest.age", "b")).isPositive().isLessThan(60);
        shards.coordinator(TwoPhaseHooks.NONE).recovery(Duration.ZERO).recover();
        assertThat(gauge(restarted, "bulwark.twophase.prepared", "b")).isZero();
        assertThat(gauge(restarted, "bulwark.twophase.prepared.oldest.age", "b")).isZero();
    }

    private static double gauge(SimpleMeterRegistry registry, String name, String participant) {
        return registry.get(name).tag("coordinator", "test").tag("participant", participant).gauge().value();
    }

    private static int terminateBackends(JdbcClient database) {
        return database.sql("""
                        SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                        WHERE datname = current_database() AND pid <> pg_backend_pid()""")
                .query(Integer.class).single();
    }
}
