package dev.bulwark.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The HTTP API behind {@code ./bulwark ctl} and {@code ./bulwark status}, on the loopback interface only:
 * {@code POST /services/{name}/{start|stop|kill|pause|resume}}, {@code POST /kafka/{start|stop}},
 * {@code POST /postgres/{start|stop}} and {@code GET /status}.
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
                } else if (!method.equals("POST")) {
                    respond(exchange, 405, errorJson("Use GET /status, or POST for the actions"));
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
        } else {
            throw new IllegalArgumentException("No such endpoint: /" + String.join("/", path)
                    + ". Use POST /services/{name}/{action}, /kafka/{action}, /postgres/{action} or GET /status");
        }
        return stack.status().stream().filter(status -> status.name().equals(component)).findFirst().orElseThrow();
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
