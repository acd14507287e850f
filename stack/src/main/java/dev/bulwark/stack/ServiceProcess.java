package dev.bulwark.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** One Bulwark service run with {@code java -jar} from its module's build output. */
final class ServiceProcess {

    /** Spring Boot's graceful shutdown waits up to 30 s for requests in flight. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(35);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Service service;
    private final Path jar;
    private final Path moduleDirectory;
    private final Map<String, String> environment;
    private final String javaExecutable;
    private final List<String> jvmOptions;
    private final Path logFile;
    private volatile ChildProcess process;
    private volatile long launchedAtNanos;
    private boolean startedBefore;

    ServiceProcess(Service service, Path repoRoot, Map<String, String> environment, String javaExecutable,
                   List<String> jvmOptions, Path logFile) {
        this.jvmOptions = List.copyOf(jvmOptions);
        this.service = service;
        this.moduleDirectory = repoRoot.resolve(service.id());
        this.jar = moduleDirectory.resolve("target").resolve(service.id() + "-0.1.0-SNAPSHOT.jar");
        this.environment = environment;
        this.javaExecutable = javaExecutable;
        this.logFile = logFile;
    }

    /** Starts the JVM without waiting for it; see {@link #awaitHealthy(Duration)}. */
    void launch() throws IOException {
        launch(Map.of());
    }

    /** As {@link #launch()}, with {@code extra} added to (or replacing in) the environment for this start only. */
    synchronized void launch(Map<String, String> extra) throws IOException {
        if (isAlive()) {
            return;
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist. Build the services first: ./mvnw -DskipTests package");
        }
        Ports.requireFree(service.port(), service.id());
        List<String> command = new ArrayList<>(List.of(javaExecutable));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(extra);
        process = ChildProcess.start(service.id(), command, env, moduleDirectory, logFile, startedBefore);
        launchedAtNanos = System.nanoTime();
        startedBefore = true;
    }

    void awaitHealthy(Duration timeout) throws InterruptedException {
        ChildProcess current = process;
        if (current == null) {
            throw new IllegalStateException(service.id() + " was never started");
        }
        HttpRequest readiness = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastAnswer = "no answer";
        while (true) {
            if (!current.isAlive()) {
                throw new IllegalStateException(service.id() + " exited during start-up" + current.logTail());
            }
            try {
                int status = HTTP.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
                lastAnswer = "HTTP " + status + (status == 404
                        ? " (the readiness group needs management.endpoint.health.probes.enabled=true)" : "");
            } catch (IOException notYetListening) {
                // Expected until Tomcat has started; keep polling.
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(service.id() + " was not ready within " + timeout.toSeconds()
                        + " s; last answer from " + readiness.uri() + ": " + lastAnswer + current.logTail());
            }
            Thread.sleep(500);
        }
    }

    /** SIGTERM without waiting; {@link #awaitEnd()} finishes it. Lets the stack stop all services side by side. */
    synchronized void terminate() {
        if (isAlive()) {
            process.terminate();
        }
    }

    synchronized void awaitEnd() {
        if (process != null) {
            process.awaitEnd(SHUTDOWN_GRACE);
        }
    }

    void stop() {
        terminate();
        awaitEnd();
    }

    synchronized void kill() {
        if (isAlive()) {
            process.kill();
        }
    }

    synchronized void pause() {
        running().pause();
    }

    synchronized void resume() {
        running().resume();
    }

    /** Start-up time as people mean it: from the launch, not from when someone began to wait. */
    Duration sinceLaunch() {
        return Duration.ofNanos(System.nanoTime() - launchedAtNanos);
    }

    boolean isAlive() {
        ChildProcess current = process;
        return current != null && current.isAlive();
    }

    OptionalLong pid() {
        ChildProcess current = process;
        return current == null ? OptionalLong.empty() : current.pid();
    }

    ComponentStatus status() {
        ChildProcess current = process;
        String state = current == null ? "stopped" : current.state();
        return new ComponentStatus(service.id(), state, service.port(), pid());
    }

    private ChildProcess running() {
        if (!isAlive()) {
            throw new IllegalStateException(service.id() + " is not running");
        }
        return process;
    }
}
