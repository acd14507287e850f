package dev.bulwark.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The HTTP API behind {@code ./bulwark ctl} and {@code ./bulwark status}, on the loopback interface only:
 * {@code POST /services/{name}/{start|stop|kill|pause|resume}}, {@code POST /kafka/{start|stop}},
 * {@code POST /postgres/{start|stop}}, {@code POST /shard0|shard1/{start|stop}} (the economy's shard servers; shard0
 * is postgres) and {@code GET /status}; with fault links also {@code GET /links} and
 * {@code POST /links/{link}/{latency?latency=200ms&jitter=50ms | bandwidth?rate=64kb | cut | half-open | heal}}.
 */
final class ControlServer implements AutoCloseable {

    static final int PORT = 8090;

    private final StackController stack;
    private final HttpServer server;
    private final ExecutorService executor;

    ControlServer(StackController stack, int port) throws IOException {
        this.stack = stack;
        Ports.requireFree(port, "control API");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        // A start waits minutes for readiness; it must not hold up a status request meanwhile.
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] path = exchange.getRequestURI().getPath().replaceAll("^/+|/+$", "").split("/");
            String method = exchange.getRequestMethod();
            try {
                if (method.equals("GET") && path.length == 1 && path[0].equals("status")) {
                    respond(exchange, 200, statusJson(stack.status()));
                } else if (method.equals("GET") && path.length == 1 && path[0].equals("links")) {
                    respond(exchange, 200, linksJson());
                } else if (!method.equals("POST")) {
                    respond(exchange, 405, errorJson("Use GET /status or /links, or POST for the actions"));
                } else if (path.length == 3 && path[0].equals("links")) {
                    respond(exchange, 200, linkJson(hurt(stack.link(path[1]), path[2],
                            query(exchange.getRequestURI().getRawQuery()))));
                } else {
                    respond(exchange, 200, componentJson(perform(path)));
                }
            } catch (IllegalArgumentException e) {
                respond(exchange, 404, errorJson(e.getMessage()));
            } catch (IllegalStateException e) {
                respond(exchange, 409, errorJson(e.getMessage()));
            } catch (Exception e) {
                respond(exchange, 500, errorJson(String.valueOf(e)));
            }
        }
    }

    private ComponentStatus perform(String[] path) throws Exception {
        String component;
        String action;
        if (path.length == 3 && path[0].equals("services")) {
            Service service = Service.byId(path[1]);
            component = service.id();
            action = path[2];
            switch (action) {
                case "start" -> stack.startService(service);
                case "stop" -> stack.stopService(service);
                case "kill" -> stack.killService(service);
                case "pause" -> stack.pauseService(service);
                case "resume" -> stack.resumeService(service);
                default -> throw unknownAction(component, action, "start, stop, kill, pause, resume");
            }
        } else if (path.length == 2 && (path[0].equals("kafka") || path[0].equals("postgres"))) {
            component = path[0];
            action = path[1];
            switch (component + "/" + action) {
                case "kafka/start" -> stack.startKafka();
                case "kafka/stop" -> stack.stopKafka();
                case "postgres/start" -> stack.startPostgres();
                case "postgres/stop" -> stack.stopPostgres();
                default -> throw unknownAction(component, action, "start, stop");
            }
        } else if (path.length == 2 && (path[0].equals(StackController.ECONOMY_SHARD_0)
                || path[0].equals(StackController.ECONOMY_SHARD_1))) {
            // shard0 is the stack's PostgreSQL; its status is the postgres component's.
            component = path[0].equals(StackController.ECONOMY_SHARD_0) ? "postgres" : path[0];
            action = path[1];
            switch (action) {
                case "start" -> stack.startShard(path[0]);
                case "stop" -> stack.stopShard(path[0]);
                default -> throw unknownAction(path[0], action, "start, stop");
            }
        } else {
            throw new IllegalArgumentException("No such endpoint: /" + String.join("/", path)
                    + ". Use POST /services/{name}/{action}, /kafka/{action}, /postgres/{action} or GET /status");
        }
        return stack.status().stream().filter(status -> status.name().equals(component)).findFirst().orElseThrow();
    }

    private static FaultProxy hurt(FaultProxy link, String action, Map<String, String> parameters)
            throws IOException {
        switch (action) {
            case "latency" -> link.latency(duration(parameters.getOrDefault("latency", "0")),
                    duration(parameters.getOrDefault("jitter", "0")));
            case "bandwidth" -> link.bandwidth(bytesPerSecond(parameters.getOrDefault("rate", "0")));
            case "cut" -> link.cut();
            case "half-open" -> link.halfOpen();
            case "heal" -> link.heal();
            default -> throw unknownAction(link.name(), action, "latency, bandwidth, cut, half-open, heal");
        }
        return link;
    }

    /** {@code 200ms}, {@code 2s}, {@code 1m}; a bare number is milliseconds. */
    static Duration duration(String text) {
        Matcher matcher = Pattern.compile("(\\d+)(ms|s|m)?").matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Not a duration: '" + text + "'; write e.g. 200ms, 2s or 1m");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2) == null ? "ms" : matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofMillis(amount);
        };
    }

    /** Bytes per second from {@code 64kb}, {@code 1mb} or {@code 500b} (also {@code 64kb/s}); 0 is no limit. */
    static long bytesPerSecond(String text) {
        Matcher matcher = Pattern.compile("(\\d+)(b|kb|mb)?(/s)?").matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Not a rate: '" + text + "'; write e.g. 64kb, 1mb or 500b (per second)");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2) == null ? "b" : matcher.group(2)) {
            case "kb" -> amount * 1024;
            case "mb" -> amount * 1024 * 1024;
            default -> amount;
        };
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                String[] nameAndValue = pair.split("=", 2);
                parameters.put(URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8),
                        nameAndValue.length > 1 ? URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8) : "");
            }
        }
        return parameters;
    }

    private String linksJson() {
        if (!stack.hasFaultLinks()) {
            throw new IllegalStateException("This stack runs without fault links; start it with --fault-links");
        }
        return stack.links().stream()
                .map(link -> "  " + quote(link.name()) + ": " + linkJson(link))
                .collect(Collectors.joining(",\n", "{\n", "\n}\n"));
    }

    private static String linkJson(FaultProxy link) {
        return "{\"name\": " + quote(link.name()) + ", \"port\": " + link.port() + ", \"target\": "
                + quote(link.target()) + ", \"faults\": " + quote(link.faults().describe())
                + ", \"openConnections\": " + link.openConnections() + "}";
    }

    private static IllegalArgumentException unknownAction(String component, String action, String known) {
        return new IllegalArgumentException("Unknown action '" + action + "' for " + component + "; expected " + known);
    }

    /** One component per line, so the raw answer reads well in a terminal. */
    private static String statusJson(List<ComponentStatus> components) {
        return components.stream()
                .map(component -> "  " + quote(component.name()) + ": " + componentJson(component))
                .collect(Collectors.joining(",\n", "{\n", "\n}\n"));
    }

    private static String componentJson(ComponentStatus status) {
        return "{\"name\": " + quote(status.name()) + ", \"state\": " + quote(status.state())
                + ", \"port\": " + status.port()
                + ", \"pid\": " + (status.pid().isPresent() ? Long.toString(status.pid().getAsLong()) : "null") + "}";
    }

    private static String errorJson(String message) {
        return "{\"error\": " + quote(message) + "}";
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = (body.endsWith("\n") ? body : body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
