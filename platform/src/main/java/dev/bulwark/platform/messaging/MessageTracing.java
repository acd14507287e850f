package dev.bulwark.platform.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.bulwark.events.Envelope;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * Carries the W3C trace context through the outbox: {@link #current()} is what an envelope
 * records when it is published, and {@link #handle} continues an envelope's trace while a
 * consumer applies it, so that what the handler publishes carries the same trace id however
 * late, resent or out of order the envelope arrived.
 */
public class MessageTracing {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    /** Only the trace context travels in an envelope; baggage would be caller data in a contract. */
    private static final Set<String> FIELDS = Set.of(TRACEPARENT, TRACESTATE);

    private final Tracer tracer;
    private final Propagator propagator;
    private final ObservationRegistry observations;

    public MessageTracing(Tracer tracer, Propagator propagator, ObservationRegistry observations) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.observations = observations;
    }

    /** The current span's trace context as W3C fields, empty outside any span. */
    public Map<String, String> current() {
        Span span = tracer.currentSpan();
        if (span == null) {
            return Map.of();
        }
        Map<String, String> fields = new HashMap<>();
        propagator.inject(span.context(), fields, (carrier, key, value) -> {
            if (carrier != null && FIELDS.contains(key) && value != null && !value.isEmpty()) {
                carrier.put(key, value);
            }
        });
        return fields;
    }

    /**
     * Runs a consumer's handling of one envelope in a span whose parent is the envelope's trace
     * context (the current span when the envelope carries none). Also timed as
     * {@code bulwark.message.handle} by consumer and type.
     */
    public <T> T handle(String consumer, Envelope envelope, Supplier<T> work) {
        return Observation.createNotStarted("bulwark.message.handle", () -> new Handling(envelope), observations)
                .contextualName(consumer + " " + envelope.type())
                .lowCardinalityKeyValue("consumer", consumer)
                .lowCardinalityKeyValue("type", envelope.type())
                .observe(work);
    }

    /** The envelope's trace map is the carrier the tracing handler extracts the parent from. */
    static final class Handling extends ReceiverContext<Map<String, String>> {

        Handling(Envelope envelope) {
            super((carrier, key) -> carrier.get(key));
            setCarrier(envelope.trace());
        }
    }
}
