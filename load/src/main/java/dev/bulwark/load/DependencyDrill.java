package dev.bulwark.load;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.bulwark.stack.FaultProxy;

/**
 * Drill 4, the seed's cascade: the economy, as player-core reaches it, first 10% slower than
 * player-core's idea of a slow call (220 ms on the link against the breaker's 200 ms slow-call
 * threshold), then down (the link cut), then back. The player screen must keep answering with its
 * own fields (the wallet missing, named in errors[]), quickly; the economy's breaker must open and
 * close again; and the wallet must be back soon after the economy is.
 */
final class DependencyDrill implements Drill {

    static final Duration SLOWER = Duration.ofMillis(220);
    /** Bounds: the seed's thresholds for the error rate; for p99 under a fault the read timeout (250 ms) with room for the load. */
    static final double MAX_ERROR_RATE = 0.01;
    static final long MAX_P99_MILLIS = 1000;
    /** The breaker waits 5 s open before it probes; then the next screens must find the economy. */
    static final Duration MAX_RECOVERY = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "dependency";
    }

    @Override
    public String title() {
        return "4. One dependency 10% slower, then down";
    }

    @Override
    public DrillResult run(Context context) throws Exception {
        Timeline timeline = new Timeline();
        DrillResult result = new DrillResult(name(), title(), timeline);
        FaultProxy link = context.stack().stack.link("player-core-economy");
        context.probe().recordInto(timeline);
        try (BreakerWatch breaker = new BreakerWatch("economy", context.stack().admin)) {
            Thread.sleep(context.pick(6, 30).toMillis());
            Timeline.Window slow = timeline.begin("economy +" + SLOWER.toMillis() + " ms");
            link.latency(SLOWER, Duration.ZERO);
            Thread.sleep(context.pick(10, 30).toMillis());
            timeline.end(slow);
            Timeline.Window down = timeline.begin("economy cut");
            link.cut();
            Thread.sleep(context.pick(10, 40).toMillis());
            link.heal();
            timeline.end(down);
            Instant healed = Instant.now();
            Instant giveUp = healed.plus(context.pick(25, 60));
            Instant walletBack = null;
            while (Instant.now().isBefore(giveUp)) {
                Instant wallet = context.probe().lastWallet();
                if (walletBack == null && wallet.isAfter(healed)) {
                    walletBack = wallet;
                }
                if (walletBack != null && breaker.current().equals("CLOSED")) {
                    break;
                }
                Thread.sleep(100);
            }
            Thread.sleep(context.pick(3, 10).toMillis());
            context.probe().recordInto(null);

            Timeline.Stats all = timeline.between(timeline.start(), Instant.now());
            Timeline.Stats duringSlow = timeline.between(slow.start(), down.start());
            Timeline.Stats duringDown = timeline.between(down.start(), healed);
            Timeline.Stats before = timeline.between(timeline.start(), slow.start());
            result.notes.add(String.format("core path before the fault: p50 %d ms, p99 %d ms over %d screens",
                    before.p50Millis(), before.p99Millis(), before.requests()));
            result.notes.add("economy breaker: " + breaker.changes().stream()
                    .map(c -> c.state() + " at +" + Duration.between(timeline.start(), c.at()).toMillis() / 1000.0 + " s")
                    .toList());
            result.check("core-path error rate over the drill", percent(all.errorRate()) + " of " + all.requests(),
                    "< " + percent(MAX_ERROR_RATE), all.errorRate() < MAX_ERROR_RATE);
            result.check("core-path p99 while the economy is slower", duringSlow.p99Millis() + " ms",
                    "≤ " + MAX_P99_MILLIS + " ms", duringSlow.requests() > 0 && duringSlow.p99Millis() <= MAX_P99_MILLIS);
            result.check("core-path p99 while the economy is down", duringDown.p99Millis() + " ms",
                    "≤ " + MAX_P99_MILLIS + " ms", duringDown.requests() > 0 && duringDown.p99Millis() <= MAX_P99_MILLIS);
            Optional<Instant> opened = breaker.firstAfter(slow.start(), "OPEN");
            result.check("the economy breaker opens under the fault",
                    opened.map(at -> "after " + Duration.between(slow.start(), at).toMillis() + " ms").orElse("never"),
                    "opens before the economy returns", opened.isPresent() && opened.get().isBefore(healed));
            Optional<Instant> closed = breaker.firstAfter(healed, "CLOSED");
            result.check("the economy breaker closes after the economy returns",
                    closed.map(at -> Duration.between(healed, at).toMillis() + " ms after").orElse("never"),
                    "≤ " + MAX_RECOVERY.toSeconds() + " s",
                    closed.isPresent() && Duration.between(healed, closed.get()).compareTo(MAX_RECOVERY) <= 0);
            boolean recovered = walletBack != null;
            result.check("recovery: the wallet is on the player screen again",
                    recovered ? Duration.between(healed, walletBack).toMillis() + " ms after" : "never",
                    "≤ " + MAX_RECOVERY.toSeconds() + " s",
                    recovered && Duration.between(healed, walletBack).compareTo(MAX_RECOVERY) <= 0);
        } finally {
            context.probe().recordInto(null);
            link.heal();
        }
        return result;
    }

    static String percent(double share) {
        return String.format("%.2f%%", share * 100);
    }
}
