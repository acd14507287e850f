package dev.bulwark.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.gatling.app.Gatling$;

/**
 * Gatling running {@link PlayerLoadSimulation} in this JVM, beside the drills, from its own thread;
 * its HTML report (Gatling's own charts of the whole run) lands in {@code results}.
 */
final class BackgroundLoad {

    private final Path results;
    private final CompletableFuture<Integer> run;

    private BackgroundLoad(Path results, CompletableFuture<Integer> run) {
        this.results = results;
        this.run = run;
    }

    static BackgroundLoad start(Path feeder, int players, int rampSeconds, int holdSeconds, String gameServerToken,
            Path results) {
        System.setProperty("load.feeder", feeder.toString());
        System.setProperty("load.players", Integer.toString(players));
        System.setProperty("load.rampSeconds", Integer.toString(rampSeconds));
        System.setProperty("load.holdSeconds", Integer.toString(holdSeconds));
        System.setProperty("load.gameServerToken", gameServerToken);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Gatling$.MODULE$.fromArgs(new String[] {
                "--simulation", PlayerLoadSimulation.class.getName(),
                "--results-folder", results.toString(),
                "--launcher", "maven", "--build-tool-version", "3.9"}));
        return new BackgroundLoad(results, run);
    }

    /** Whether Gatling has stopped (it should not before {@link PlayerLoadSimulation#HOLDING} is cleared). */
    boolean ended() {
        return run.isDone();
    }

    /** Waits for the load to end; Gatling's exit status (0 when it ran). */
    int await() throws Exception {
        return run.get();
    }

    /** Gatling's report of the run: the newest run folder's index.html. */
    Optional<Path> report() throws Exception {
        if (!Files.isDirectory(results)) {
            return Optional.empty();
        }
        try (Stream<Path> runs = Files.list(results)) {
            return runs.map(run -> run.resolve("index.html")).filter(Files::exists)
                    .max((a, b) -> a.getParent().getFileName().toString().compareTo(b.getParent().getFileName().toString()));
        }
    }
}
