package dev.bulwark.testsupport.checker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a {@link History} against the ledgers, after the run (Jepsen's idea, for an API with
 * idempotency keys):
 * <ul>
 * <li>every acknowledged operation is in its ledger exactly once, under the id its
 * acknowledgement named;</li>
 * <li>an operation that was not acknowledged was applied only if one of its attempts ended
 * unknown (a timeout, a broken connection, a 5xx), never after a refusal alone; with
 * {@link AppliedKeys} it is known which unknown ones were applied, without, at most as many
 * unexplained ledger events as unknown operations are allowed;</li>
 * <li>no ledger event of a kind the history tracks is left that no operation explains (a
 * duplicate under a new id shows up here);</li>
 * <li>no balance, hold or item count is negative, the service's own audit finds no drift, and
 * each player's holdings changed by exactly what the applied operations imply.</li>
 * </ul>
 * The ledgers of the history's players are taken as complete for the event types it tracks:
 * operations on them that the history does not record are reported as unexplained.
 */
public final class AckChecker {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AckChecker() {
    }

    /**
     * @param baseline     each player's holdings before the run (for conservation); empty skips it
     * @param appliedKeys  how to tell whether an unanswered operation was applied; may be null
     */
    public static CheckReport check(History history, Ledgers ledgers, Map<UUID, Ledgers.Holdings> baseline,
            AppliedKeys appliedKeys) throws Exception {
        List<Operation> operations = history.operations();
        List<String> violations = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        Map<UUID, Map<String, String>> trackedTypes = new LinkedHashMap<>();
        Set<UUID> players = new TreeSet<>(baseline.keySet());
        for (Operation operation : operations) {
            trackedTypes.computeIfAbsent(operation.player(), p -> new HashMap<>())
                    .putIfAbsent(operation.ledgerType(), operation.idField());
            players.add(operation.player());
            players.addAll(operation.effects().keySet());
        }

        // (player, type, id) → how many ledger events carry it; what operations explain is taken out.
        Map<String, Integer> applications = new HashMap<>();
        for (Map.Entry<UUID, Map<String, String>> tracked : trackedTypes.entrySet()) {
            for (Ledgers.Entry entry : ledgers.ledger(tracked.getKey())) {
                String idField = tracked.getValue().get(entry.type());
                if (idField != null) {
                    JsonNode id = entry.payload().get(idField);
                    applications.merge(at(tracked.getKey(), entry.type(), id == null ? "?" : id.asString()), 1,
                            Integer::sum);
                }
            }
        }

        Map<UUID, Map<String, String>> stored = new HashMap<>();
        if (appliedKeys != null) {
            Map<UUID, List<String>> unanswered = operations.stream()
                    .filter(operation -> operation.outcome() != Outcome.ACKNOWLEDGED)
                    .collect(Collectors.groupingBy(Operation::player,
                            Collectors.mapping(Operation::key, Collectors.toList())));
            for (Map.Entry<UUID, List<String>> keys : unanswered.entrySet()) {
                stored.put(keys.getKey(), appliedKeys.storedResponses(keys.getKey(), keys.getValue()));
            }
        }

        List<Operation> applied = new ArrayList<>();
        Map<String, Integer> unresolved = new HashMap<>();
        long unknownApplied = 0;
        for (Operation operation : operations) {
            Outcome outcome = operation.outcome();
            String id = operation.acknowledgedAs();
            if (outcome != Outcome.ACKNOWLEDGED) {
                if (appliedKeys == null) {
                    if (outcome == Outcome.UNKNOWN) {
                        unresolved.merge(group(operation.player(), operation.ledgerType()), 1, Integer::sum);
                    }
                    continue;
                }
                String body = stored.getOrDefault(operation.player(), Map.of()).get(operation.key());
                if (body == null) {
                    continue;
                }
                JsonNode storedId = JSON.readTree(body).get(operation.idField());
                id = storedId == null ? "?" : storedId.asString();
                if (outcome == Outcome.REFUSED) {
                    violations.add(describe(operation) + " was refused on every attempt but applied as " + id);
                } else {
                    unknownApplied++;
                }
            }
            applied.add(operation);
            Integer found = applications.remove(at(operation.player(), operation.ledgerType(), id));
            if (found == null) {
                violations.add(describe(operation) + (outcome == Outcome.ACKNOWLEDGED ? " was acknowledged as "
                        : " was stored as applied as ") + id + " but is missing from the ledger (lost write)");
            } else if (found > 1) {
                violations.add(describe(operation) + " is in the ledger " + found + " times as " + id
                        + " (applied twice)");
            }
        }

        Map<String, List<String>> unexplained = new TreeMap<>();
        applications.forEach((at, count) -> {
            String[] parts = at.split("\\|", 3);
            for (int i = 0; i < count; i++) {
                unexplained.computeIfAbsent(parts[0] + "|" + parts[1], g -> new ArrayList<>()).add(parts[2]);
            }
        });
        unexplained.forEach((group, ids) -> {
            int unknown = unresolved.getOrDefault(group, 0);
            String where = group.replace("|", "'s ledger has ") + " event(s) ";
            if (ids.size() <= unknown) {
                notes.add(where.replace("event(s) ", ids.size() + " event(s) ") + "that " + unknown
                        + " unanswered operation(s) may explain: " + ids);
            } else {
                violations.add(where.replace("event(s) ", ids.size() + " event(s) ") + "that no acknowledged or "
                        + "applied operation explains (" + unknown + " unanswered): " + ids
                        + " — applied twice under a new id, or applied after a refusal");
            }
        });

        Map<UUID, Ledgers.Holdings> holdings = new LinkedHashMap<>();
        for (UUID player : players) {
            Ledgers.Holdings now = ledgers.holdings(player);
            holdings.put(player, now);
            now.negative().forEach(negative -> violations.add("negative: " + negative));
        }
        OptionalLong drift = ledgers.auditDrift();
        if (drift.isPresent() && drift.getAsLong() != 0) {
            violations.add("the service's audit found a drift of " + drift.getAsLong());
        }

        Map<String, long[]> supply = new TreeMap<>();
        if (!baseline.isEmpty()) {
            int open = unresolved.values().stream().mapToInt(Integer::intValue).sum();
            if (open > 0) {
                notes.add("holdings not checked against the operations: " + open + " unanswered operation(s) could "
                        + "not be resolved (no AppliedKeys)");
            } else {
                conservation(players, baseline, holdings, applied, supply, violations);
            }
        }

        Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        operations.forEach(operation -> outcomes.merge(operation.outcome(), 1L, Long::sum));
        Map<String, CheckReport.Answer> answers = new TreeMap<>();
        long attempts = 0;
        String slowest = null;
        Duration slowestWait = Duration.ZERO;
        Map<UUID, List<Attempt>> byPlayer = new HashMap<>();
        for (Operation operation : operations) {
            List<Attempt> tried = operation.attempts();
            attempts += tried.size();
            byPlayer.computeIfAbsent(operation.player(), p -> new ArrayList<>()).addAll(tried);
            for (Attempt attempt : tried) {
                answers.merge(attempt.detail(), new CheckReport.Answer(attempt.outcome(), 1, attempt.took()),
                        (a, b) -> new CheckReport.Answer(a.outcome(), a.count() + b.count(),
                                a.longest().compareTo(b.longest()) >= 0 ? a.longest() : b.longest()));
            }
            Duration wait = unavailable(tried);
            if (wait.compareTo(slowestWait) > 0) {
                slowestWait = wait;
                slowest = describe(operation);
            }
        }
        Map<String, Duration> unavailable = new TreeMap<>();
        byPlayer.forEach((player, tried) -> {
            tried.sort(Comparator.comparing(Attempt::start));
            Duration longest = unavailable(tried);
            if (!longest.isZero()) {
                unavailable.put(player.toString(), longest);
            }
        });
        return new CheckReport(outcomes, attempts, unknownApplied, violations, notes, answers, supply, unavailable,
                slowest, slowestWait);
    }

    private static void conservation(Set<UUID> players, Map<UUID, Ledgers.Holdings> baseline,
            Map<UUID, Ledgers.Holdings> holdings, List<Operation> applied, Map<String, long[]> supply,
            List<String> violations) {
        Map<UUID, Map<String, Long>> expected = new HashMap<>();
        for (Operation operation : applied) {
            operation.effects().forEach((player, effect) -> effect.forEach((asset, delta) ->
                    expected.computeIfAbsent(player, p -> new HashMap<>()).merge(asset, delta, Long::sum)));
        }
        for (UUID player : players) {
            Map<String, Long> before = baseline.containsKey(player) ? baseline.get(player).supply() : Map.of();
            Map<String, Long> after = holdings.get(player).supply();
            Map<String, Long> implied = expected.getOrDefault(player, Map.of());
            Set<String> assets = new TreeSet<>(before.keySet());
            assets.addAll(after.keySet());
            assets.addAll(implied.keySet());
            for (String asset : assets) {
                long change = after.getOrDefault(asset, 0L) - before.getOrDefault(asset, 0L);
                long impliedChange = implied.getOrDefault(asset, 0L);
                long[] totals = supply.computeIfAbsent(asset, a -> new long[2]);
                totals[0] += impliedChange;
                totals[1] += change;
                if (change != impliedChange) {
                    violations.add(String.format("%s's %s changed by %d, but the applied operations imply %d"
                            + " (conservation drift %+d)", player, asset, change, impliedChange, change - impliedChange));
                }
            }
        }
    }

    /**
     * The longest stretch, over attempts in start order, from an attempt that ended unknown to the
     * end of the next definite answer (acknowledged or refused); to the last attempt's end if none came.
     */
    private static Duration unavailable(List<Attempt> attempts) {
        Duration longest = Duration.ZERO;
        Instant since = null;
        Instant last = null;
        for (Attempt attempt : attempts) {
            last = last == null || attempt.end().isAfter(last) ? attempt.end() : last;
            if (attempt.outcome() == Outcome.UNKNOWN) {
                since = since == null ? attempt.start() : since;
            } else if (since != null) {
                Duration stretch = Duration.between(since, attempt.end());
                longest = stretch.compareTo(longest) > 0 ? stretch : longest;
                since = null;
            }
        }
        if (since != null) {
            Duration stretch = Duration.between(since, last);
            longest = stretch.compareTo(longest) > 0 ? stretch : longest;
        }
        return longest;
    }

    private static String describe(Operation operation) {
        return operation.kind() + " (key " + operation.key() + ", player " + operation.player() + ")";
    }

    private static String group(UUID player, String type) {
        return player + "|" + type;
    }

    private static String at(UUID player, String type, String id) {
        return player + "|" + type + "|" + id;
    }
}
