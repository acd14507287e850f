package dev.bulwark.testsupport.checker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@link AckChecker} found: {@link #ok()} when nothing acknowledged was lost or doubled,
 * nothing refused was applied, nothing went negative and nothing drifted. {@link #markdown()}
 * is the report a person reads.
 *
 * @param operations        how many operations ended acknowledged, refused or unknown
 * @param unknownApplied    operations whose client never heard back that were applied anyway
 * @param answers           every kind of answer clients got, with how often and how slowly
 * @param supply            per asset: the change the applied operations imply, and the change seen
 * @param unavailable       per player, the longest stretch from a request without an answer to the
 *                          next definite one
 * @param slowestOperation  the operation whose first failed attempt was furthest from its definite
 *                          answer, and how far
 */
public record CheckReport(Map<Outcome, Long> operations, long attempts, long unknownApplied, List<String> violations,
        List<String> notes, Map<String, Answer> answers, Map<String, long[]> supply, Map<String, Duration> unavailable,
        String slowestOperation, Duration slowestOperationWait) {

    /** One kind of answer: its outcome, how many attempts got it, and the longest any of them waited. */
    public record Answer(Outcome outcome, long count, Duration longest) {
    }

    public boolean ok() {
        return violations.isEmpty();
    }

    public Duration longestUnavailability() {
        return unavailable.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }

    public String markdown() {
        StringBuilder text = new StringBuilder("## Acknowledged operations: ")
                .append(ok() ? "all accounted for" : violations.size() + " violation(s)").append("\n\n");
        text.append(String.format("%d operations in %d attempts: %d acknowledged, %d refused, %d unknown"
                + " (%d of the unknown were applied).%n%n", operations.values().stream().mapToLong(Long::longValue).sum(),
                attempts, operations.getOrDefault(Outcome.ACKNOWLEDGED, 0L), operations.getOrDefault(Outcome.REFUSED, 0L),
                operations.getOrDefault(Outcome.UNKNOWN, 0L), unknownApplied));
        if (!violations.isEmpty()) {
            text.append("### Violations\n\n");
            violations.forEach(violation -> text.append("- ").append(violation).append('\n'));
            text.append('\n');
        }
        if (!notes.isEmpty()) {
            text.append("### Notes\n\n");
            notes.forEach(note -> text.append("- ").append(note).append('\n'));
            text.append('\n');
        }
        text.append("### Answers clients saw\n\n| answer | outcome | attempts | longest wait |\n|---|---|---:|---:|\n");
        answers.forEach((detail, answer) -> text.append(String.format("| %s | %s | %d | %d ms |%n", detail,
                answer.outcome().name().toLowerCase(), answer.count(), answer.longest().toMillis())));
        if (!supply.isEmpty()) {
            text.append("\n### Supply (change over the run)\n\n| asset | implied by applied operations | seen |\n"
                    + "|---|---:|---:|\n");
            supply.forEach((asset, change) -> text.append(String.format("| %s | %d | %d |%n", asset, change[0],
                    change[1])));
        }
        text.append(String.format("%n### Unavailability%n%nLongest stretch without a definite answer: %d ms "
                + "(per player: %s). Slowest operation: %s, %d ms from its first failed attempt to its answer.%n",
                longestUnavailability().toMillis(),
                unavailable.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().toMillis() + " ms")
                        .collect(Collectors.joining(", ")),
                slowestOperation == null ? "none failed" : slowestOperation, slowestOperationWait.toMillis()));
        return text.toString();
    }
}
