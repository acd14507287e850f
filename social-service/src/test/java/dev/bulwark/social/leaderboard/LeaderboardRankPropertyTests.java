package dev.bulwark.social.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestContextManager;
import org.springframework.transaction.PlatformTransactionManager;

import dev.bulwark.social.SocialApi;
import dev.bulwark.social.leaderboard.LeaderboardRules.Operator;
import dev.bulwark.social.leaderboard.LeaderboardRules.SortOrder;
import dev.bulwark.social.leaderboard.Leaderboards.Page;
import dev.bulwark.social.leaderboard.Leaderboards.Ranked;
import dev.bulwark.testsupport.IntegrationTest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Ranks under 16 concurrent writers against an independent model, on real PostgreSQL: jqwik
 * generates each writer's writes (player and score, in a narrow range so that ties and bucket
 * moves are common) for every operator and order; readers check each page while writing; at
 * the end every rank, page by page through cursors and around every player, equals the model's:
 * final scores folded from the writes, ranked by score, ties by player id (the clock is fixed,
 * so every record has the same time).
 */
class LeaderboardRankPropertyTests {

    /** Borrows the Spring context that the JUnit integration tests share. */
    @IntegrationTest
    static class SharedContext {
    }

    private static final int WRITERS = 16;
    private static final int PLAYERS = 40;

    record Write(int player, long score) {
    }

    private static ApplicationContext context() {
        try {
            return new TestContextManager(SharedContext.class).getTestContext().getApplicationContext();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Provide
    Arbitrary<List<List<Write>>> plans() {
        // Scores around the 512 boundary too, where buckets start spanning several scores.
        Arbitrary<Long> scores = Arbitraries.oneOf(Arbitraries.longs().between(0, 20), Arbitraries.longs().between(500, 1_100));
        Arbitrary<Write> write = Arbitraries.integers().between(0, PLAYERS - 1).flatMap(p -> scores.map(s -> new Write(p, s)));
        return write.list().ofMinSize(5).ofMaxSize(25).list().ofSize(WRITERS);
    }

    @Property(tries = 6, shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void ranksStayExactUnderSixteenConcurrentWritersAgainstAModel(@ForAll("plans") List<List<Write>> plans,
            @ForAll Operator operator, @ForAll SortOrder order) throws Exception {
        ApplicationContext context = context();
        Leaderboards store = new Leaderboards(context.getBean(JdbcClient.class), context.getBean(PlatformTransactionManager.class),
                Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC));
        String board = SocialApi.uniqueName("race").replace(' ', '-');
        store.create(board, order, operator, null, "test");
        List<UUID> players = IntStream.range(0, PLAYERS).mapToObj(i -> UUID.randomUUID()).toList();
        CyclicBarrier start = new CyclicBarrier(WRITERS + 1);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> inconsistencies = new ArrayList<>();
        List<List<Write>> applied = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1)) {
            List<CompletableFuture<List<Write>>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                done.add(CompletableFuture.supplyAsync(() -> {
                    await(start);
                    List<Write> ok = new ArrayList<>();
                    for (int i = 0; i < plans.get(writer).size(); i++) {
                        Write write = plans.get(writer).get(i);
                        store.write("gs-" + writer, board, "op-" + i, players.get(write.player()), write.score());
                        ok.add(write);
                    }
                    return ok;
                }, pool));
            }
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                await(start);
                while (writing.get()) {
                    List<Ranked> page = store.page(board, null, null, 100, null).records();
                    for (int i = 0; i < page.size(); i++) {
                        if (page.get(i).rank() != i + 1 || i > 0 && better(order, page.get(i).score(), page.get(i - 1).score())) {
                            synchronized (inconsistencies) {
                                inconsistencies.add(page.toString());
                            }
                        }
                    }
                }
            }, pool);
            try {
                for (CompletableFuture<List<Write>> writer : done) {
                    applied.add(writer.join());
                }
            } finally {
                writing.set(false); // a failed writer must not leave the reader reading forever
                reader.join();
            }
        }
        assertThat(inconsistencies).as("pages read while writing").isEmpty();

        List<Ranked> actual = new ArrayList<>();
        String cursor = null;
        do {
            Page page = store.page(board, null, cursor, 7, null);
            actual.addAll(page.records());
            cursor = page.nextCursor();
        } while (cursor != null);

        Map<UUID, Long> model = new HashMap<>();
        for (List<Write> plan : applied) {
            for (Write write : plan) {
                UUID player = players.get(write.player());
                switch (operator) {
                    case BEST -> model.merge(player, write.score(), (stored, value) -> better(order, value, stored) ? value : stored);
                    case INCREMENT -> model.merge(player, write.score(), Long::sum);
                    case DECREMENT -> model.merge(player, -write.score(), Long::sum);
                    case SET -> model.put(player, null); // which of two concurrent SETs lands last is not for the model to know
                }
            }
        }
        if (operator == Operator.SET) {
            for (Ranked record : actual) {
                assertThat(applied.stream().flatMap(List::stream).filter(w -> players.get(w.player()).equals(record.playerId()))
                        .map(Write::score)).as("a SET stores one of the scores written").contains(record.score());
                model.put(record.playerId(), record.score());
            }
        }
        Comparator<Map.Entry<UUID, Long>> ranking = Comparator.comparingLong(
                (Map.Entry<UUID, Long> e) -> order == SortOrder.DESC ? -e.getValue() : e.getValue())
                .thenComparing(e -> e.getKey().toString()); // PostgreSQL orders uuids as unsigned bytes: as their text
        List<Map.Entry<UUID, Long>> expected = model.entrySet().stream().sorted(ranking).toList();
        assertThat(actual).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            Map.Entry<UUID, Long> want = expected.get(i);
            assertThat(actual.get(i)).as(operator + " " + order + " rank " + (i + 1))
                    .isEqualTo(new Ranked(want.getKey(), null, want.getValue(), i + 1));
            List<Ranked> around = store.around(board, want.getKey(), null, 3).records();
            assertThat(around.stream().filter(r -> r.playerId().equals(want.getKey())).findFirst().orElseThrow().rank())
                    .as(operator + " " + order + " around rank " + (i + 1)).isEqualTo(i + 1);
        }
    }

    @Property(tries = 10)
    void theDatabasesBucketFunctionIsTheRulesOne(@ForAll @Size(50) List<@net.jqwik.api.constraints.LongRange(
            min = -LeaderboardRules.MAX_SCORE, max = LeaderboardRules.MAX_SCORE) Long> keys) {
        JdbcClient jdbc = context().getBean(JdbcClient.class);
        String values = IntStream.range(0, keys.size()).mapToObj(i -> "(" + i + ", " + keys.get(i) + "::bigint)")
                .collect(java.util.stream.Collectors.joining(", "));
        List<List<Long>> buckets = jdbc.sql("SELECT leaderboard_bucket_of(k), leaderboard_bucket_start(leaderboard_bucket_of(k))"
                        + " FROM (VALUES " + values + ") AS t(i, k) ORDER BY i")
                .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2))).list();
        assertThat(buckets).isEqualTo(keys.stream().map(LeaderboardRules::bucket)
                .map(b -> List.of(b, LeaderboardRules.bucketStart(b))).toList());
    }

    private static boolean better(SortOrder order, long a, long b) {
        return order == SortOrder.DESC ? a > b : a < b;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
