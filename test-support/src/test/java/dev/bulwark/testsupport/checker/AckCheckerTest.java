package dev.bulwark.testsupport.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

/** The checker against hand-made histories and ledgers: clean ones pass, seeded faults are named. */
class AckCheckerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");
    private static final Map<String, Long> POTION_PACK = Map.of("GOLD", -50L, "potion", 5L);

    private final UUID ayla = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private final UUID bram = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    private final History history = new History();
    private final FakeLedgers ledgers = new FakeLedgers();
    private final Map<UUID, Map<String, String>> stored = new HashMap<>();
    private final AppliedKeys appliedKeys = (player, keys) -> {
        Map<String, String> found = new HashMap<>(stored.getOrDefault(player, Map.of()));
        found.keySet().retainAll(keys);
        return found;
    };

    @Test
    void aCleanHistoryWithRefusalsAndUnknownOutcomesPasses() throws Exception {
        cleanStorm();

        CheckReport report = check();

        assertThat(report.violations()).isEmpty();
        assertThat(report.ok()).isTrue();
        assertThat(report.operations()).containsEntry(Outcome.ACKNOWLEDGED, 2L).containsEntry(Outcome.REFUSED, 1L)
                .containsEntry(Outcome.UNKNOWN, 2L);
        assertThat(report.unknownApplied()).isEqualTo(1);
        assertThat(report.supply().get("GOLD")).containsExactly(-150, -150);
        assertThat(report.answers()).containsKeys("HTTP 201", "HTTP 409 problem+json insufficient-funds", "timeout");
        assertThat(report.markdown()).contains("all accounted for").contains("| timeout | unknown | 3 |");
    }

    @Test
    void aSeededDuplicateUnderTheSameIdFails() throws Exception {
        cleanStorm();
        ledgers.purchase(ayla, "purchase-1", POTION_PACK);

        CheckReport report = check();

        assertThat(report.ok()).isFalse();
        assertThat(report.violations()).anyMatch(v -> v.contains("in the ledger 2 times as purchase-1 (applied twice)"));
    }

    @Test
    void aSeededDuplicateUnderANewIdFails() throws Exception {
        cleanStorm();
        // the retry of an unanswered purchase ran again instead of replaying the first answer
        ledgers.purchase(bram, "purchase-again", POTION_PACK);

        CheckReport report = check();

        assertThat(report.violations()).anyMatch(v -> v.contains("1 event(s) that no acknowledged or applied "
                + "operation explains") && v.contains("purchase-again"));
        assertThat(report.violations()).anyMatch(v -> v.contains(bram + "'s GOLD changed by -100, but the applied "
                + "operations imply -50"));
    }

    @Test
    void aSeededLostWriteFails() throws Exception {
        cleanStorm();
        ledgers.forget(ayla, "purchase-1");

        CheckReport report = check();

        assertThat(report.violations()).anyMatch(v -> v.contains("was acknowledged as purchase-1 but is missing from "
                + "the ledger (lost write)"));
        assertThat(report.violations()).anyMatch(v -> v.contains("conservation drift +50"));
        assertThat(report.markdown()).contains("### Violations").contains("lost write");
    }

    @Test
    void anOperationAppliedAfterOnlyRefusalsFails() throws Exception {
        cleanStorm();
        stored.computeIfAbsent(ayla, p -> new HashMap<>()).put("k-refused", "{\"purchaseId\":\"purchase-r\"}");
        ledgers.purchase(ayla, "purchase-r", POTION_PACK);

        assertThat(check().violations()).anyMatch(v -> v.contains("was refused on every attempt but applied as "
                + "purchase-r"));
    }

    @Test
    void aNegativeBalanceFails() throws Exception {
        cleanStorm();
        ledgers.negative.add(ayla + " balances GOLD -1");

        assertThat(check().violations()).contains("negative: " + ayla + " balances GOLD -1");
    }

    @Test
    void withoutAppliedKeysUnexplainedEventsWithinTheUnknownCountAreNotedNotFailed() throws Exception {
        cleanStorm();

        CheckReport report = AckChecker.check(history, ledgers, Map.of(), null);

        assertThat(report.violations()).isEmpty();
        assertThat(report.notes()).anyMatch(note -> note.contains("1 event(s) that 2 unanswered operation(s) may "
                + "explain: [purchase-3]"));
    }

    @Test
    void unavailabilityRunsFromTheFirstUnansweredAttemptToTheNextDefiniteAnswer() throws Exception {
        cleanStorm();

        CheckReport report = check();

        // ayla's k-2: timeouts from T0+1s, the answer at T0+6s
        assertThat(report.unavailable().get(ayla.toString())).isEqualTo(Duration.ofSeconds(5));
        assertThat(report.slowestOperationWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(report.slowestOperation()).contains("k-2");
    }

    /**
     * ayla: k-1 acknowledged at once; k-2 two timeouts then acknowledged; k-refused refused.
     * bram: k-3 timed out and was applied; k-4 timed out and was not.
     */
    private void cleanStorm() {
        Map<UUID, Ledgers.Holdings> before = Map.of(ayla, holdings(1000, 0), bram, holdings(1000, 0));
        ledgers.holdings.putAll(before);
        baseline.putAll(before);

        Operation one = purchase(ayla, "k-1");
        one.acknowledged(new Attempt(T0, T0.plusMillis(20), Outcome.ACKNOWLEDGED, "HTTP 201"), "purchase-1");
        ledgers.purchase(ayla, "purchase-1", POTION_PACK);

        Operation two = purchase(ayla, "k-2");
        two.record(new Attempt(T0.plusSeconds(1), T0.plusSeconds(3), Outcome.UNKNOWN, "timeout"));
        two.record(new Attempt(T0.plusSeconds(3), T0.plusSeconds(5), Outcome.UNKNOWN, "timeout"));
        two.acknowledged(new Attempt(T0.plusSeconds(5), T0.plusSeconds(6), Outcome.ACKNOWLEDGED, "HTTP 201"),
                "purchase-2");
        ledgers.purchase(ayla, "purchase-2", POTION_PACK);

        purchase(ayla, "k-refused").record(new Attempt(T0, T0.plusMillis(5), Outcome.REFUSED,
                "HTTP 409 problem+json insufficient-funds"));

        purchase(bram, "k-3").record(new Attempt(T0, T0.plusSeconds(2), Outcome.UNKNOWN, "timeout"));
        stored.computeIfAbsent(bram, p -> new HashMap<>()).put("k-3", "{\"purchaseId\":\"purchase-3\"}");
        ledgers.purchase(bram, "purchase-3", POTION_PACK);

        purchase(bram, "k-4").record(new Attempt(T0, T0.plusMillis(3), Outcome.UNKNOWN,
                "HTTP 503 problem+json unavailable"));
    }

    private final Map<UUID, Ledgers.Holdings> baseline = new HashMap<>();

    private CheckReport check() throws Exception {
        return AckChecker.check(history, ledgers, baseline, appliedKeys);
    }

    private Operation purchase(UUID player, String key) {
        return history.begin("purchase potion-pack", key, player, "PurchaseCompleted", "purchaseId", POTION_PACK);
    }

    private static Ledgers.Holdings holdings(long gold, long potions) {
        return new Ledgers.Holdings(Map.of("GOLD", gold, "potion", potions), List.of());
    }

    /** Ledgers kept in memory, whose holdings follow the purchases put in them. */
    private static final class FakeLedgers implements Ledgers {

        final Map<UUID, List<Entry>> entries = new HashMap<>();
        final Map<UUID, Holdings> holdings = new HashMap<>();
        final List<String> negative = new ArrayList<>();

        void purchase(UUID player, String purchaseId, Map<String, Long> effect) {
            List<Entry> ledger = entries.computeIfAbsent(player, p -> new ArrayList<>());
            ledger.add(new Entry(ledger.size() + 1, "PurchaseCompleted",
                    JSON.readTree("{\"purchaseId\":\"" + purchaseId + "\"}")));
            change(player, effect, 1);
        }

        void forget(UUID player, String purchaseId) {
            entries.get(player).removeIf(entry -> entry.payload().get("purchaseId").asString().equals(purchaseId));
            change(player, POTION_PACK, -1);
        }

        private void change(UUID player, Map<String, Long> effect, int sign) {
            Map<String, Long> supply = new HashMap<>(holdings.get(player).supply());
            effect.forEach((asset, delta) -> supply.merge(asset, sign * delta, Long::sum));
            holdings.put(player, new Holdings(supply, List.of()));
        }

        @Override
        public List<Entry> ledger(UUID player) {
            return entries.getOrDefault(player, List.of());
        }

        @Override
        public Holdings holdings(UUID player) {
            Holdings now = holdings.get(player);
            List<String> negatives = negative.stream().filter(line -> line.startsWith(player.toString())).toList();
            return new Holdings(now.supply(), negatives);
        }

        @Override
        public OptionalLong auditDrift() {
            return OptionalLong.of(0);
        }
    }

}
