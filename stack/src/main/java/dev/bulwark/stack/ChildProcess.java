package dev.bulwark.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** A long-running child process with its output in a log file, and the signals the stack sends it. */
final class ChildProcess {

    private final String name;
    private final Process process;
    private final Path logFile;
    private volatile boolean paused;
    private volatile boolean endRequested;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code command} in a session of its own: a Ctrl-C in the launcher's terminal is sent to the whole
     * foreground process group and would otherwise stop every child at once, before the launcher can stop them in
     * order. {@code setsid} execs in place here (the child is no group leader), so the pid is the command's own.
     */
    static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path workingDir,
                              Path logFile, boolean appendLog) throws IOException {
        List<String> sessionCommand = new ArrayList<>(command.size() + 1);
        sessionCommand.add("setsid");
        sessionCommand.addAll(command);
        Files.createDirectories(logFile.getParent());
        ProcessBuilder builder = new ProcessBuilder(sessionCommand)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(appendLog ? ProcessBuilder.Redirect.appendTo(logFile.toFile())
                        : ProcessBuilder.Redirect.to(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment);
        return new ChildProcess(name, builder.start(), logFile);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    OptionalLong pid() {
        return process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    String state() {
        if (process.isAlive()) {
            return paused ? "paused" : "running";
        }
        return endRequested ? "stopped" : "crashed (exit " + process.exitValue() + ")";
    }

    /** Sends SIGTERM without waiting, so several processes can shut down side by side. */
    void terminate() {
        endRequested = true;
        if (paused && process.isAlive()) {
            // A stopped process would hold the SIGTERM until it is continued.
            resume();
        }
        process.destroy();
    }

    /** Waits up to {@code grace} for the process to end after {@link #terminate()}, then kills it. */
    void awaitEnd(Duration grace) {
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    void stop(Duration grace) {
        terminate();
        awaitEnd(grace);
    }

    /** SIGKILL: the process gets no chance to clean up, as in a crash. */
    void kill() {
        endRequested = true;
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void pause() {
        signal("STOP");
        paused = true;
    }

    void resume() {
        signal("CONT");
        paused = false;
    }

    /** Runs a short-lived command to completion; its exit code is checked by the caller. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s" + logTail());
        }
        return process.exitValue();
    }

    /** The end of the log, for error messages: the reason a process died is almost always in its last lines. */
    String logTail() {
        try {
            List<String> lines = Arrays.asList(
                    new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).split("\n"));
            List<String> tail = lines.subList(Math.max(0, lines.size() - 25), lines.size());
            return "\n--- last lines of " + logFile + " ---\n" + String.join("\n", tail);
        } catch (IOException e) {
            return " (no log at " + logFile + ")";
        }
    }

    private void signal(String signal) {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        try {
            // ProcessHandle can only terminate; stop and continue need kill(1).
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed for " + name);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not signal " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling " + name, e);
        }
    }
}
