package dev.bulwark.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;

import com.sun.net.httpserver.HttpServer;

import dev.bulwark.platform.http.elsewhere.PackagePrivateClient;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;

/** Every client from the factory has a read timeout, a breaker that fails fast, and retries only reads. */
class ResilientClientsTests {

    interface Downstream {
        @GetExchange("/read")
        String read();

        @PostExchange("/write")
        String write();

        /** A read that is slow for its own reasons (one player's huge inventory, say), answered after {@code slowMillis}. */
        @GetExchange("/slow")
        String slow();
    }

    private HttpServer server;
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();
    private volatile long delayMillis;
    private volatile int status = 200;
    private volatile long slowMillis;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/read", exchange -> respond(exchange, reads));
        server.createContext("/write", exchange -> respond(exchange, writes));
        server.createContext("/slow", exchange -> {
            sleep(slowMillis);
            respond(exchange, reads);
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void respond(com.sun.net.httpserver.HttpExchange exchange, AtomicInteger counter) throws IOException {
        counter.incrementAndGet();
        sleep(delayMillis);
        byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Downstream client(CircuitBreakerRegistry breakers) {
        return client(breakers, Duration.ofMillis(200));
    }

    /** A longer read timeout where a loaded machine must not turn an answer into a timeout. */
    private Downstream client(CircuitBreakerRegistry breakers, Duration readTimeout) {
        ClientProperties properties = new ClientProperties(Map.of("downstream", new ClientProperties.Client(
                "http://127.0.0.1:" + server.getAddress().getPort(), Duration.ofMillis(300), readTimeout,
                2, 3)));
        return new ResilientClients(properties, RestClient.builder(), breakers, BulkheadRegistry.ofDefaults(),
                RetryRegistry.ofDefaults()).create("downstream", Downstream.class);
    }

    @Test
    void aClientMayBeDeclaredPrivately() {
        ClientProperties properties = new ClientProperties(Map.of("downstream", new ClientProperties.Client(
                "http://127.0.0.1:" + server.getAddress().getPort(), null, null, null, null)));
        ResilientClients clients = new ResilientClients(properties, RestClient.builder(),
                CircuitBreakerRegistry.ofDefaults(), BulkheadRegistry.ofDefaults(), RetryRegistry.ofDefaults());

        assertThat(PackagePrivateClient.readThrough(clients)).isEqualTo("ok");
    }

    @Test
    void aSlowDownstreamIsCutOffByTheReadTimeout() {
        Downstream downstream = client(CircuitBreakerRegistry.ofDefaults());
        delayMillis = 2_000;

        long started = System.nanoTime();
        assertThatThrownBy(downstream::write).isInstanceOf(ResourceAccessException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1_500));
    }

    @Test
    void readsAreRetriedAndWritesAreNot() {
        Downstream downstream = client(CircuitBreakerRegistry.ofDefaults(), Duration.ofSeconds(5));
        status = 503;

        assertThatThrownBy(downstream::read).isNotNull();
        assertThatThrownBy(downstream::write).isNotNull();

        assertThat(reads.get()).isEqualTo(3);
        assertThat(writes.get()).isEqualTo(1);
    }

    @Test
    void aReadThatTimedOutIsNotRetried() {
        Downstream downstream = client(CircuitBreakerRegistry.ofDefaults());
        delayMillis = 1_000;

        assertThatThrownBy(downstream::read).isInstanceOf(ResourceAccessException.class);

        // Every attempt was sent before read() gave up; the server counts each one as it takes it.
        await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() >= 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(reads.get()).as("one call: the caller's time was the read timeout").isEqualTo(1));
    }

    @Test
    void aReadRefusedWithA4xxIsNotRetried() {
        Downstream downstream = client(CircuitBreakerRegistry.ofDefaults(), Duration.ofSeconds(5));
        status = 404;

        assertThatThrownBy(downstream::read).isInstanceOf(HttpClientErrorException.NotFound.class);

        assertThat(reads.get()).isEqualTo(1);
    }

    @Test
    void anOpenBreakerFailsFastAndIsNotHammeredByRetries() {
        Downstream downstream = client(CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMinutes(1)).build()));
        status = 503;
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(downstream::write).isNotNull();
        }
        int callsBefore = reads.get() + writes.get();

        assertThatThrownBy(downstream::read).isInstanceOf(CallNotPermittedException.class);
        assertThat(reads.get() + writes.get()).isEqualTo(callsBefore);
    }

    @Test
    void oneCallersFloodIsRefusedLocallyWhileOtherCallersStillGetThrough() throws Exception {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        ClientProperties properties = new ClientProperties(Map.of("downstream", new ClientProperties.Client(
                "http://127.0.0.1:" + server.getAddress().getPort(), Duration.ofMillis(300), Duration.ofSeconds(5),
                10, 1, 2)));
        Downstream downstream = new ResilientClients(properties, RestClient.builder(), breakers,
                BulkheadRegistry.ofDefaults(), RetryRegistry.ofDefaults()).create("downstream", Downstream.class);
        delayMillis = 1_000;

        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<?> first = CompletableFuture.runAsync(() -> as("flooder", downstream::read), callers);
            CompletableFuture<?> second = CompletableFuture.runAsync(() -> as("flooder", downstream::read), callers);
            await().atMost(Duration.ofSeconds(5)).until(() -> reads.get() == 2);

            assertThatThrownBy(() -> as("flooder", downstream::read)).isInstanceOf(CallerLimitExceededException.class);
            assertThat(reads.get()).as("the refused call never left the service").isEqualTo(2);
            assertThat(as("someone-else", downstream::read)).isEqualTo("ok");
            first.join();
            second.join();
        }
        CircuitBreaker.Metrics metrics = breakers.circuitBreaker("downstream").getMetrics();
        assertThat(metrics.getNumberOfBufferedCalls()).as("the refusal is not the downstream's failure").isEqualTo(3);
        assertThat(metrics.getNumberOfFailedCalls()).isZero();
        // Its permits came back: the flooder may call again.
        assertThat(as("flooder", downstream::read)).isEqualTo("ok");
    }

    /** The player-core breaker's rules (10 calls, 5 at least, 50 % failed or 80 % slow), with a 100 ms slow-call threshold. */
    private static CircuitBreakerRegistry sharedBreakers() {
        return CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowSize(10).minimumNumberOfCalls(5).failureRateThreshold(50)
                .slowCallDurationThreshold(Duration.ofMillis(100)).slowCallRateThreshold(80)
                .waitDurationInOpenState(Duration.ofMinutes(1)).build());
    }

    @Test
    void oneCallersSlowCallsDoNotOpenTheBreakerWhileOtherCallersAreServed() {
        CircuitBreakerRegistry breakers = sharedBreakers();
        Downstream downstream = client(breakers, Duration.ofSeconds(5));
        slowMillis = 150;

        for (int i = 0; i < 12; i++) {
            assertThat(as("slow-one", downstream::slow)).isEqualTo("ok");
            if (i % 4 == 0) {
                assertThat(as("bystander", downstream::read)).isEqualTo("ok");
            }
        }

        CircuitBreaker breaker = breakers.circuitBreaker("downstream");
        assertThat(breaker.getState()).as("one caller's slow calls are not the downstream failing everyone")
                .isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(as("bystander", downstream::read)).isEqualTo("ok");
    }

    @Test
    void aDownstreamFailingForEveryCallerStillOpensTheBreaker() {
        CircuitBreakerRegistry breakers = sharedBreakers();
        Downstream downstream = client(breakers, Duration.ofSeconds(5));
        assertThat(as("one", downstream::read)).isEqualTo("ok");
        assertThat(as("another", downstream::read)).isEqualTo("ok");
        status = 503;

        for (int i = 0; i < 6; i++) {
            String caller = i % 2 == 0 ? "one" : "another";
            assertThatThrownBy(() -> as(caller, downstream::write)).isNotNull();
        }

        assertThat(breakers.circuitBreaker("downstream").getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aLoneCallerStillOpensTheBreakerOfADownstreamThatFailsIt() {
        CircuitBreakerRegistry breakers = sharedBreakers();
        Downstream downstream = client(breakers, Duration.ofSeconds(5));
        status = 503;

        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> as("alone", downstream::write)).isNotNull();
        }

        assertThat(breakers.circuitBreaker("downstream").getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    private static <T> T as(String caller, java.util.function.Supplier<T> call) {
        SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken(caller, null, "ROLE_PLAYER"));
        try {
            return call.get();
        }
        finally {
            SecurityContextHolder.clearContext();
        }
    }
}
