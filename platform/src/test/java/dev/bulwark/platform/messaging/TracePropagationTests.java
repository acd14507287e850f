package dev.bulwark.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;
import org.springframework.web.service.annotation.GetExchange;

import com.sun.net.httpserver.HttpServer;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Payload;
import dev.bulwark.events.Topic;
import dev.bulwark.events.Topics;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.CurrencyGranted;
import dev.bulwark.events.player.PlayerRegistered;
import dev.bulwark.events.saga.CreateGuild;
import dev.bulwark.events.saga.SagaReply;
import dev.bulwark.platform.http.ClientProperties;
import dev.bulwark.platform.http.ResilientClients;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;
import dev.bulwark.testsupport.TestKeys;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;

/**
 * One trace follows a request through HTTP, the outbox, Kafka and the consumers that publish in
 * turn: the W3C trace context travels in each envelope's {@code trace} map.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class TracePropagationTests {

    @LocalServerPort
    int port;

    @Autowired
    RestClient.Builder restClients;

    @Autowired
    ObservationRegistry observations;

    @Autowired
    Tracer tracer;

    @Test
    void aRequestsTraceparentIsRecordedInTheEnvelopesItPublishesAndInItsLogLines(CapturedOutput output)
            throws Exception {
        String traceId = randomHex(16);
        String parentSpan = randomHex(8);
        UUID aggregate = UUID.randomUUID();

        assertThat(post(aggregate, "00-" + traceId + "-" + parentSpan + "-01")).isEqualTo(200);

        Map<String, String> trace = published(Topics.ECONOMY_EVENTS, aggregate.toString(), 1).getFirst().trace();
        assertThat(trace.get("traceparent")).startsWith("00-" + traceId + "-").endsWith("-01")
                .doesNotContain(parentSpan);
        assertThat(output.getOut()).containsPattern(traceId + ".*granting to " + aggregate);
        assertThat(recordHeader(Topics.ECONOMY_EVENTS, aggregate.toString(), "traceparent"))
                .as("the record's header, for the listener's own observation").isEqualTo(trace.get("traceparent"));
    }

    @Test
    void anUnsampledTraceIsPropagatedAllTheSame() throws Exception {
        String traceId = randomHex(16);
        UUID aggregate = UUID.randomUUID();

        assertThat(post(aggregate, "00-" + traceId + "-" + randomHex(8) + "-00")).isEqualTo(200);

        assertThat(published(Topics.ECONOMY_EVENTS, aggregate.toString(), 1).getFirst().trace().get("traceparent"))
                .startsWith("00-" + traceId + "-").endsWith("-00");
    }

    @Test
    void aRequestWithoutTraceparentStartsATraceOfItsOwn() throws Exception {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();

        assertThat(post(first, null)).isEqualTo(200);
        assertThat(post(second, null)).isEqualTo(200);

        String one = traceId(published(Topics.ECONOMY_EVENTS, first.toString(), 1).getFirst());
        String other = traceId(published(Topics.ECONOMY_EVENTS, second.toString(), 1).getFirst());
        assertThat(one).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32)).isNotEqualTo(other);
    }

    @Test
    void aCommandsTraceContinuesIntoItsReply() {
        String traceId = randomHex(16);
        CreateGuild command = new CreateGuild(UUID.randomUUID(), "create-guild", UUID.randomUUID(),
                "Tracers " + randomHex(4));

        send(Topics.SOCIAL_COMMANDS, command, command.sagaId().toString(), 1, traceId);

        Envelope reply = published(Topics.ECONOMY_SAGA_REPLIES, command.sagaId().toString(), 1).getFirst();
        assertThat(Contracts.payload(reply)).isInstanceOf(SagaReply.class);
        assertThat(traceId(reply)).isEqualTo(traceId);
    }

    @Test
    void whatAnInboxEffectPublishesCarriesTheTraceOfItsOwnEnvelopeEvenWhenItWasParked() {
        UUID player = UUID.randomUUID();
        String firstTrace = randomHex(16);
        String secondTrace = randomHex(16);
        PlayerRegistered registered = new PlayerRegistered(player, "tracer", "Tracer", Instant.now());

        // The second arrives first and is parked; the first then applies both.
        send(Topics.PLAYER_EVENTS, registered, player.toString(), 2, secondTrace);
        send(Topics.PLAYER_EVENTS, registered, player.toString(), 1, firstTrace);

        Map<Long, String> traceByAmount = new java.util.HashMap<>();
        for (Envelope grant : published(Topics.ECONOMY_EVENTS, player.toString(), 2)) {
            CurrencyGranted payload = (CurrencyGranted) Contracts.payload(grant);
            traceByAmount.put(payload.amounts().get(Currency.GOLD), traceId(grant));
        }
        assertThat(traceByAmount).containsExactlyInAnyOrderEntriesOf(Map.of(1L, firstTrace, 2L, secondTrace));
    }

    @Test
    void anOutboundCallFromTheClientFactoryCarriesTheCallersTrace() throws IOException {
        AtomicReference<String> received = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.set(exchange.getRequestHeaders().getFirst("traceparent"));
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            ResilientClients factory = new ResilientClients(new ClientProperties(Map.of("echo",
                    new ClientProperties.Client("http://127.0.0.1:" + server.getAddress().getPort(), null, null, null,
                            null))),
                    restClients, CircuitBreakerRegistry.ofDefaults(), BulkheadRegistry.ofDefaults(),
                    RetryRegistry.ofDefaults());
            Echo echo = factory.create("echo", Echo.class);

            Observation caller = Observation.start("test.caller", observations);
            String callerTrace;
            try (Observation.Scope ignored = caller.openScope()) {
                callerTrace = tracer.currentSpan().context().traceId();
                assertThat(echo.read()).isEqualTo("ok");
            }
            finally {
                caller.stop();
            }
            assertThat(received.get()).startsWith("00-" + callerTrace + "-");
        }
        finally {
            server.stop(0);
        }
    }

    interface Echo {

        @GetExchange("/echo")
        String read();
    }

    private int post(UUID aggregate, String traceparent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/grants/" + aggregate))
                .header("Authorization", "Bearer " + TestKeys.primary().playerToken(aggregate))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    /** Sends an envelope the way another service's outbox would, its trace only inside the envelope. */
    private static void send(Topic topic, Payload payload, String aggregate, long sequence, String traceId) {
        Envelope envelope = Contracts.wrap(payload, aggregate, sequence, Instant.now(),
                Map.of("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01"));
        TestInfrastructure.get().send(topic.name(), aggregate, Contracts.toBytes(envelope));
    }

    private static List<Envelope> published(Topic topic, String key, int count) {
        List<Envelope> envelopes = TestInfrastructure.get().awaitRecords(topic.name(), key, count, Duration.ofSeconds(30))
                .stream().map(Contracts::fromBytes).toList();
        assertThat(envelopes).hasSize(count);
        return envelopes;
    }

    private static String recordHeader(Topic topic, String key, String header) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().kafkaBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "trace-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
                    Header value = record.headers().lastHeader(header);
                    if (key.equals(record.key()) && value != null) {
                        return new String(value.value(), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        return null;
    }

    private static String traceId(Envelope envelope) {
        String traceparent = envelope.trace().get("traceparent");
        assertThat(traceparent).as("traceparent of %s", envelope.type()).isNotNull();
        return traceparent.split("-")[1];
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1;
        return HexFormat.of().formatHex(random);
    }
}
