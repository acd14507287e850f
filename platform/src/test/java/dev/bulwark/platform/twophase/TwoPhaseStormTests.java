package dev.bulwark.platform.twophase;

import static dev.bulwark.platform.twophase.TwoShards.ACCOUNTS_PER_SHARD;
import static dev.bulwark.platform.twophase.TwoShards.OPENING;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.bulwark.platform.twophase.TwoPhaseHooks.Point;
import dev.bulwark.platform.twophase.TwoShards.SimulatedCrash;

/**
 * Transfers between random accounts of the two shards from several threads, a fifth of them
 * crashing at a random point of the protocol, while recovery runs in a loop beside them with no
 * grace period (so only the decision-in-progress check and the double listing keep it from
 * rolling back live transactions). Afterwards every acknowledged transfer is on both shards,
 * every refused one on neither, every crashed one on both or neither; coins are conserved and
 * nothing is left prepared or decided.
 */
class TwoPhaseStormTests {

    private static final int TRANSFERS = Integer.getInteger("twophase.storm.transfers", 240);
    private static final int THREADS = 4;

    private enum Outcome { ACKNOWLEDGED, REFUSED, CRASHED, IN_DOUBT }

    @Test
    void aStormOfTransfersWithRandomCrashesIsAllOrNothingAndConservesCoins() throws Exception {
        TwoShards shards = TwoShards.get();
        shards.reset();
        long seed = Long.getLong("twophase.storm.seed", System.nanoTime());
        System.out.println("Two-phase storm seed " + seed + " (-Dtwophase.storm.seed to repeat)");
        Point[] points = Point.values();
        Map<UUID, Outcome> outcomes = new ConcurrentHashMap<>();
        AtomicBoolean storming = new AtomicBoolean(true);
        TwoPhaseRecovery recovery = shards.coordinator(TwoPhaseHooks.NONE).recovery(Duration.ZERO);

        try (ExecutorService threads = Executors.newFixedThreadPool(THREADS + 1)) {
            Future<Integer> recovering = threads.submit(() -> {
                int passes = 0;
                while (storming.get()) {
                    recovery.recover();
                    passes++;
                }
                return passes;
            });
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Random random = new Random(seed + t);
                clients.add(threads.submit(() -> {
                    for (int i = 0; i < TRANSFERS / THREADS; i++) {
                        int from = 1 + random.nextInt(2 * ACCOUNTS_PER_SHARD);
                        int to = 1 + random.nextInt(ACCOUNTS_PER_SHARD) * 2 + (from % 2 == 1 ? 1 : 0);
                        long amount = 1 + random.nextInt((int) OPENING / 4);
                        Point crashAt = random.nextInt(5) == 0 ? points[random.nextInt(points.length)] : null;
                        TwoPhaseHooks hooks = (point, transactionId) -> {
                            if (point == crashAt) {
                                // Only this transaction dies: its connections go back to the pool,
                                // which rolls back what is open, as the server does for a dead process.
                                throw new SimulatedCrash(point);
                            }
                        };
                        UUID id = UUID.randomUUID();
                        outcomes.put(id, attempt(shards.coordinator(hooks, Duration.ofSeconds(1)), id, from, to, amount));
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get(60, TimeUnit.SECONDS);
            }
            storming.set(false);
            assertThat(recovering.get(10, TimeUnit.SECONDS)).as("recovery passes during the storm").isPositive();
        }
        recovery.recover();
        recovery.recover(); // the first forgets decisions finished by the last transfers; nothing is left for a second

        assertThat(shards.prepared()).isZero();
        assertThat(shards.decisionRows()).isZero();
        assertThat(shards.total()).isEqualTo(2 * ACCOUNTS_PER_SHARD * OPENING);
        Map<Outcome, Integer> counts = new java.util.EnumMap<>(Outcome.class);
        outcomes.forEach((id, outcome) -> {
            counts.merge(outcome, 1, Integer::sum);
            int[] legs = shards.legs(id);
            assertThat(legs[0]).as("transfer %s (%s) is on both shards or neither", id, outcome).isEqualTo(legs[1]);
            switch (outcome) {
                case ACKNOWLEDGED -> assertThat(legs[0]).as("acknowledged %s applied", id).isOne();
                case REFUSED -> assertThat(legs[0]).as("refused %s not applied", id).isZero();
                default -> { }
            }
        });
        System.out.println("Two-phase storm outcomes " + counts);
        assertThat(counts.get(Outcome.ACKNOWLEDGED)).isGreaterThan(TRANSFERS / 2);
        assertThat(counts.get(Outcome.CRASHED)).isPositive();
    }

    private static Outcome attempt(TwoPhaseCommit coordinator, UUID id, int from, int to, long amount) {
        try {
            TwoShards.transfer(coordinator, id, from, to, amount);
            return Outcome.ACKNOWLEDGED;
        } catch (TwoPhaseAbortedException e) {
            return Outcome.REFUSED; // overdrawn, or a lock timeout
        } catch (TwoPhaseInDoubtException e) {
            return Outcome.IN_DOUBT;
        } catch (SimulatedCrash e) {
            return Outcome.CRASHED;
        }
    }
}
