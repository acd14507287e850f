package dev.bulwark.console;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.test.context.DynamicPropertyRegistry;

import com.sun.net.httpserver.HttpServer;

/**
 * One HTTP server standing in for all three services with recorded answers by path (any other
 * path: 404 problem+json), and the console pointed at it: for rendering tests of pages whose rows
 * only appear with real data.
 */
final class RecordedServices {

    private RecordedServices() {
    }

    static HttpServer start(Map<String, String> answers, DynamicPropertyRegistry registry) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String answer = answers.get(exchange.getRequestURI().getPath());
            byte[] body = (answer == null ? "{\"type\":\"https://bulwark.dev/problems/not-found\",\"status\":404}" : answer)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer == null ? "application/problem+json" : "application/json");
            exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        registry.add("bulwark.console.player-core-url", () -> url);
        registry.add("bulwark.console.economy-url", () -> url);
        registry.add("bulwark.console.social-url", () -> url);
        return server;
    }
}
