package dev.bulwark.stack;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** The {@code ./bulwark} command line: {@code up}, {@code status} and {@code ctl}. */
public final class Main {

    private static final String USAGE = """
            usage: ./bulwark [up] [--wipe] [--no-services] [--fault-links]
                                                             start the stack; stays in the foreground, Ctrl-C stops it
                     --wipe          start with empty PostgreSQL and Kafka data
                     --no-services   PostgreSQL and Kafka only
                     --fault-links   route each service's links to PostgreSQL and Kafka, and player-core's to the
                                     economy and social, and the economy's to its shard1, through fault proxies
                                     (ports 6400-6408) for ctl link
                   ./bulwark status                          state and pid of each component of a running stack
                   ./bulwark ctl <component> <action>        control one component of a running stack
                     component: postgres | kafka | player-core-service | game-economy-service | social-service | console
                                | shard0 | shard1   the economy's shard servers (shard0 is postgres, on 5432; shard1 on 5433)
                     action:    start | stop, and for services also kill (SIGKILL) | pause (SIGSTOP) | resume
                   ./bulwark ctl link                        the fault links and what is wrong with each
                   ./bulwark ctl link <from>-<to> <fault>    hurt or heal one link of a stack started with --fault-links
                     link:   {player-core|economy|social}-{postgres|kafka}, player-core-economy, player-core-social,
                             economy-shard1
                     fault:  latency 200ms [jitter 50ms]   delay each response (jitter: give or take, uniformly)
                             bandwidth 64kb                at most 64 KiB/s each way (b, kb, mb; 0 lifts it)
                             cut                           refuse new connections, reset the open ones
                             half-open                     accept connections, forward nothing either way
                             heal                          no faults: no latency, no limit, flowing
                   ./bulwark --build ...                     rebuild before running, even if the jars look current
            """;

    private static final URI CONTROL_API = URI.create("http://127.0.0.1:" + ControlServer.PORT);

    private static volatile boolean shuttingDown;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = Arrays.asList(args);
        if (arguments.contains("--help") || arguments.contains("-h") || arguments.equals(List.of("help"))) {
            System.out.print(USAGE);
            System.exit(0);
        }
        // "up" is the default, also when only its options are given: ./bulwark --wipe
        if (arguments.isEmpty() || arguments.getFirst().startsWith("--")) {
            arguments = Stream.concat(Stream.of("up"), arguments.stream()).toList();
        }
        List<String> options = arguments.subList(1, arguments.size());
        int exitCode = switch (arguments.getFirst()) {
            case "up" -> up(options);
            case "status" -> options.isEmpty() ? call("GET", "/status") : usage();
            case "ctl" -> !options.isEmpty() && options.getFirst().equals("link") ? link(options.subList(1, options.size()))
                    : options.size() == 2 ? ctl(options.get(0), options.get(1)) : usage();
            default -> usage();
        };
        System.exit(exitCode);
    }

    private static int up(List<String> options) throws InterruptedException {
        boolean wipe = false;
        boolean withServices = true;
        boolean faultLinks = false;
        for (String option : options) {
            switch (option) {
                case "--wipe" -> wipe = true;
                case "--no-services" -> withServices = false;
                case "--fault-links" -> faultLinks = true;
                default -> {
                    return usage();
                }
            }
        }
        long start = System.nanoTime();
        StackController stack;
        ControlServer control;
        try {
            stack = StackController.builder()
                    .wipe(wipe)
                    .faultLinks(faultLinks)
                    .console(true)
                    .progress(line -> System.out.println("[stack] " + line))
                    .build();
            control = new ControlServer(stack, ControlServer.PORT);
        } catch (IOException | RuntimeException e) {
            System.err.println("[stack] " + describe(e));
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(stack, control), "bulwark-shutdown"));
        try {
            if (withServices) {
                stack.start();
            } else {
                stack.startInfrastructure();
            }
        } catch (Exception e) {
            if (!shuttingDown) {
                System.err.println("[stack] start-up failed, stopping what was started: " + describe(e));
            }
            return 1;
        }
        printBanner(stack, withServices, Duration.ofNanos(System.nanoTime() - start));
        Thread.currentThread().join();
        return 0;
    }

    private static void shutDown(StackController stack, ControlServer control) {
        shuttingDown = true;
        long start = System.nanoTime();
        System.out.println("[stack] stopping: services, then kafka, then postgres ...");
        control.close();
        try {
            stack.close();
            System.out.printf("[stack] stopped in %.1f s%n", (System.nanoTime() - start) / 1e9);
        } catch (RuntimeException e) {
            System.err.println("[stack] shutdown incomplete: " + describe(e));
        }
    }

    private static void printBanner(StackController stack, boolean withServices, Duration took) {
        String state = stack.stateDirectory().toString();
        StringBuilder banner = new StringBuilder();
        if (withServices) {
            banner.append(String.format("[stack] Bulwark is up: all %d services healthy after %.1f s. Ctrl-C stops"
                    + " everything.%n", Service.values().length, took.toMillis() / 1000.0));
            for (Service service : Service.backends()) {
                banner.append(String.format("  %-22s %s   OpenAPI UI: %s/swagger-ui.html%n",
                        service.id(), service.baseUrl(), service.baseUrl()));
            }
            banner.append(String.format("  %-22s %s   (operator %s / %s)%n", Service.CONSOLE.id(),
                    Service.CONSOLE.baseUrl(), DevClient.CONSOLE_OPERATOR, DevClient.CONSOLE_PASSWORD));
        } else {
            banner.append(String.format("[stack] Bulwark infrastructure is up after %.1f s (services not started;"
                    + " ./bulwark ctl <service> start). Ctrl-C stops it.%n", took.toMillis() / 1000.0));
        }
        banner.append(String.format("  %-22s %s  (user %s, password %s)%n", "postgres",
                stack.jdbcUrl("{player_core|game_economy|social}"), StackController.DB_USER,
                StackController.DB_PASSWORD));
        banner.append(String.format("  %-22s %s%n", "kafka", stack.kafkaBootstrapServers()));
        banner.append(String.format("  %-22s %s/status   (./bulwark status, ./bulwark ctl <component> <action>)%n",
                "control API", CONTROL_API));
        String label = "dev clients";
        for (DevClient client : DevClient.ALL) {
            banner.append(String.format("  %-22s %-12s %s / %s%n", label, client.kind(), client.clientId(),
                    client.secret()));
            label = "";
        }
        if (stack.hasFaultLinks()) {
            String links = "fault links";
            for (FaultProxy link : stack.links()) {
                banner.append(String.format("  %-22s %-22s :%d -> %s%n", links, link.name(), link.port(), link.target()));
                links = "";
            }
            banner.append(String.format("  %-22s ./bulwark ctl link <link> latency 200ms|bandwidth 64kb|cut|half-open|heal%n",
                    ""));
        }
        banner.append(String.format("  %-22s %s  (logs/ has each process's output)%n", "state", state));
        System.out.print(banner);
    }

    private static int ctl(String component, String action) throws InterruptedException {
        String path = List.of("postgres", "kafka", StackController.ECONOMY_SHARD_0, StackController.ECONOMY_SHARD_1)
                .contains(component)
                ? "/" + component + "/" + action
                : "/services/" + component + "/" + action;
        return call("POST", path);
    }

    /** {@code link}, {@code link <name> cut}, {@code link <name> latency 200ms jitter 50ms}, ... */
    private static int link(List<String> words) throws InterruptedException {
        if (words.isEmpty()) {
            return call("GET", "/links");
        }
        if (words.size() < 2) {
            return usage();
        }
        String path = "/links/" + words.get(0) + "/" + words.get(1);
        List<String> arguments = words.subList(2, words.size());
        String query = switch (words.get(1)) {
            case "latency" -> switch (arguments.size()) {
                case 1 -> "?latency=" + arguments.get(0);
                case 2 -> "?latency=" + arguments.get(0) + "&jitter=" + arguments.get(1);
                case 3 -> arguments.get(1).equals("jitter") ? "?latency=" + arguments.get(0) + "&jitter=" + arguments.get(2) : null;
                default -> null;
            };
            case "bandwidth" -> arguments.size() == 1 ? "?rate=" + arguments.get(0) : null;
            default -> arguments.isEmpty() ? "" : null;
        };
        return query == null ? usage() : call("POST", path + query);
    }

    /** Prints the control API's answer; the exit code tells scripts whether the action worked. */
    private static int call(String method, String path) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(CONTROL_API.resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                // A service start waits for readiness, which can take minutes on a busy machine.
                .timeout(Duration.ofMinutes(5))
                .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            boolean ok = response.statusCode() == 200;
            (ok ? System.out : System.err).print(response.body());
            return ok ? 0 : 1;
        } catch (ConnectException e) {
            System.err.println("No Bulwark stack is running (nothing answers on " + CONTROL_API
                    + "). Start one with ./bulwark up");
            return 1;
        } catch (IOException e) {
            System.err.println("The control API at " + CONTROL_API + " failed: " + describe(e));
            return 1;
        }
    }

    private static int usage() {
        System.err.print(USAGE);
        return 2;
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
