package dev.bulwark.load;

import java.time.Duration;
import java.util.function.Consumer;

/** A disaster of the seed, replayed on the running stack under the background load and judged by invariants. */
interface Drill {

    /** What the drill needs of the run: the stack, the core-path probe, and how long to take. */
    record Context(DrillStack stack, Probe probe, boolean shortRun, Consumer<String> log) {

        Duration pick(int shortSeconds, int fullSeconds) {
            return Duration.ofSeconds(shortRun ? shortSeconds : fullSeconds);
        }
    }

    String name();

    String title();

    DrillResult run(Context context) throws Exception;
}
