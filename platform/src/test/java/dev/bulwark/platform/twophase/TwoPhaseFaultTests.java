package dev.bulwark.platform.twophase;

import static dev.bulwark.platform.twophase.TwoShards.OPENING;
import static dev.bulwark.platform.twophase.TwoShards.transfer;
import static dev.bulwark.platform.twophase.TwoShards.transferWorks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.bulwark.platform.twophase.TwoPhaseCommit.Work;
import dev.bulwark.platform.twophase.TwoPhaseHooks.Point;

/** Shard b's server stopping, and transactions that wait on each other across the two servers. */
class TwoPhaseFaultTests {

    private static final TwoShards shards = TwoShards.get();

    @BeforeEach
    void reset() {
        shards.reset();
    }

    /**
     * Shard a has prepared when b's server stops; b's PREPARE fails. The transaction fails
     * retryably, and a is rolled back at once — not after a recovery pass — so a's rows are free.
     * Once b's server is down, the next transfer fails before it touches a at all. After b
     * restarts, nothing is prepared anywhere and no coin moved.
     */
    @Test
    void aShardServerDownDuringPrepareFailsWithoutHoldingLocksOnTheHealthyShard() {
        UUID id = UUID.randomUUID();
        TwoPhaseHooks stopB = (point, transactionId) -> {
            if (point == Point.AFTER_FIRST_PREPARE) {
                shards.stopSecondServer();
            }
        };
        try {
            assertThatThrownBy(() -> transfer(shards.coordinator(stopB), id, 1, 2, 300))
                    .isInstanceOfSatisfying(TwoPhaseAbortedException.class, e -> assertThat(e.retryable()).isTrue());
            assertThat(shards.preparedOn("a")).isZero();
            assertThat(rowFree(1)).as("account 1 on the healthy shard is not locked").isTrue();
            assertThat(shards.balance(1)).isEqualTo(OPENING);

            long started = System.nanoTime();
            assertThatThrownBy(() -> transfer(shards.coordinator(TwoPhaseHooks.NONE), UUID.randomUUID(), 3, 4, 10))
                    .isInstanceOfSatisfying(TwoPhaseAbortedException.class, e -> assertThat(e.retryable()).isTrue());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("bounded by the pool's connection timeout")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(shards.preparedOn("a")).isZero();
            assertThat(rowFree(3)).isTrue();
        } finally {
            shards.startSecondServer();
        }
        shards.coordinator(TwoPhaseHooks.NONE).recovery(Duration.ZERO).recover();
        assertThat(shards.prepared()).isZero();
        assertThat(shards.legs(id)).containsExactly(0, 0);
        assertThat(shards.total()).isEqualTo(2 * TwoShards.ACCOUNTS_PER_SHARD * OPENING);
        // and the shard serves again
        transfer(shards.coordinator(TwoPhaseHooks.NONE), UUID.randomUUID(), 1, 2, 5);
        assertThat(shards.balance(2)).isEqualTo(OPENING + 5);
    }

    /** Decided while b's server is down: the commit reaches b when recovery runs after its restart. */
    @Test
    void aShardServerDownAfterTheDecisionIsCommittedByRecoveryWhenItReturns() {
        UUID id = UUID.randomUUID();
        TwoPhaseHooks stopB = (point, transactionId) -> {
            if (point == Point.AFTER_DECISION) {
                shards.stopSecondServer();
            }
        };
        TwoPhaseCommit.Committed committed;
        try {
            committed = transfer(shards.coordinator(stopB), id, 1, 2, 300);
            assertThat(committed.unfinished()).containsExactly("b");
            assertThat(shards.coordinator(TwoPhaseHooks.NONE).recovery(Duration.ZERO).recover().unreachable())
                    .containsExactly("b");
            assertThat(shards.decisionRows()).as("kept while b cannot be asked").isOne();
        } finally {
            shards.startSecondServer();
        }
        assertThat(shards.preparedOn("b")).as("a prepared transaction survives its server's restart").isOne();
        shards.coordinator(TwoPhaseHooks.NONE).recovery(Duration.ZERO).recover();
        assertThat(shards.prepared()).isZero();
        assertThat(shards.legs(id)).containsExactly(1, 1);
        assertThat(shards.decisionRows()).isZero();
    }

    /**
     * Two opposite transfers between the same two accounts, each taking its source first (against
     * the lock order), each waiting for the other after its first lock: a deadlock across two
     * servers that neither server's detector sees. The lock timeout ends it: at least one fails
     * retryably and is rolled back cleanly, and retrying it succeeds.
     */
    @Test
    void oppositeTransfersAgainstTheLockOrderTimeOutRetryablyInsteadOfDeadlocking() throws Exception {
        TwoPhaseCommit coordinator = shards.coordinator(TwoPhaseHooks.NONE, Duration.ofMillis(300));
        CyclicBarrier bothHoldTheirFirstLock = new CyclicBarrier(2);
        UUID oneToTwo = UUID.randomUUID();
        UUID twoToOne = UUID.randomUUID();
        List<Future<Throwable>> results = new ArrayList<>();
        long started = System.nanoTime();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (UUID id : List.of(oneToTwo, twoToOne)) {
                results.add(threads.submit(() -> {
                    List<Work> legs = id == oneToTwo ? transferWorks(id, 1, 2, 100, false) : transferWorks(id, 2, 1, 50, false);
                    Work first = legs.get(0);
                    List<Work> waiting = List.of(new Work(first.participant(), jdbc -> {
                        first.work().run(jdbc);
                        await(bothHoldTheirFirstLock);
                    }), legs.get(1));
                    try {
                        coordinator.execute(waiting);
                        return null;
                    } catch (TwoPhaseAbortedException e) {
                        return e;
                    }
                }));
            }
        }
        List<Throwable> failures = new ArrayList<>();
        for (Future<Throwable> result : results) {
            Throwable failure = result.get(10, TimeUnit.SECONDS);
            if (failure != null) {
                failures.add(failure);
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(failures).isNotEmpty().allSatisfy(f -> assertThat(((TwoPhaseAbortedException) f).retryable()).isTrue());
        assertThat(shards.prepared()).isZero();
        assertThat(rowFree(1)).isTrue();

        // retried in the lock order, whatever failed goes through
        if (shards.legs(oneToTwo)[0] == 0) {
            transfer(coordinator, oneToTwo, 1, 2, 100);
        }
        if (shards.legs(twoToOne)[0] == 0) {
            transfer(coordinator, twoToOne, 2, 1, 50);
        }
        assertThat(shards.balance(1)).isEqualTo(OPENING - 50);
        assertThat(shards.balance(2)).isEqualTo(OPENING + 50);
    }

    /** The same two opposite transfers in account-id order never wait on each other in a cycle: both commit. */
    @Test
    void oppositeTransfersInTheLockOrderBothCommit() throws Exception {
        TwoPhaseCommit coordinator = shards.coordinator(TwoPhaseHooks.NONE, Duration.ofSeconds(5));
        int rounds = 20;
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<?> forth = threads.submit(() -> {
                for (int i = 0; i < rounds; i++) {
                    transfer(coordinator, UUID.randomUUID(), 1, 2, 10);
                }
            });
            Future<?> back = threads.submit(() -> {
                for (int i = 0; i < rounds; i++) {
                    transfer(coordinator, UUID.randomUUID(), 2, 1, 7);
                }
            });
            forth.get(30, TimeUnit.SECONDS);
            back.get(30, TimeUnit.SECONDS);
        }
        assertThat(shards.balance(1)).isEqualTo(OPENING - rounds * 3L);
        assertThat(shards.prepared()).isZero();
    }

    private static boolean rowFree(int account) {
        try {
            shards.shard(TwoShards.shardOf(account)).sql("SELECT 1 FROM account WHERE id = :id FOR UPDATE NOWAIT")
                    .param("id", account).query(Integer.class).single();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the other transfer never took its first lock", e);
        }
    }
}
