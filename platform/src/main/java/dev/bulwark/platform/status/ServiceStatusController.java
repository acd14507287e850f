package dev.bulwark.platform.status;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One read of what an operator watches on a service: its circuit breakers and bulkheads, the
 * messaging backlog and consumer lag, and the service's own watch gauges (stuck sagas, audit
 * drift). Read from the registries and meters the service already keeps, so the answer is what
 * {@code /actuator/prometheus} would say at the same moment; unlike the actuator endpoints it is
 * open to viewers, who may read but not act.
 */
@RestController
@PreAuthorize("@access.isOperator()")
class ServiceStatusController {

    /** Gauges worth an operator's eye, summed over their tags; absent ones are left out. */
    static final List<String> WATCHED_GAUGES = List.of("bulwark.outbox.backlog", "bulwark.outbox.oldest.age",
            "bulwark.inbox.parked", "bulwark.sagas.stuck", "bulwark.sagas.parked", "bulwark.ledger.audit.drift");

    private static final String CONSUMER_LAG = "kafka.consumer.fetch.manager.records.lag";

    private final String service;
    private final MeterRegistry meters;
    private final ObjectProvider<CircuitBreakerRegistry> breakers;
    private final ObjectProvider<BulkheadRegistry> bulkheads;

    ServiceStatusController(Environment environment, MeterRegistry meters,
            ObjectProvider<CircuitBreakerRegistry> breakers, ObjectProvider<BulkheadRegistry> bulkheads) {
        this.service = environment.getProperty("spring.application.name", "unknown");
        this.meters = meters;
        this.breakers = breakers;
        this.bulkheads = bulkheads;
    }

    @Schema(description = "A circuit breaker: state (CLOSED, OPEN, HALF_OPEN, ...), failure and slow-call rates in percent "
            + "(-1 until the sliding window has enough calls), calls in the window")
    record Breaker(String name, String state, float failureRate, float slowCallRate, int bufferedCalls,
            int failedCalls, long notPermittedCalls) {
    }

    @Schema(description = "A bulkhead: permits free now out of the maximum")
    record Bulkhead(String name, int availableConcurrentCalls, int maxAllowedConcurrentCalls) {
    }

    @Schema(description = "A consumer's lag on one partition, in records")
    record Lag(String clientId, String topic, String partition, double records) {
    }

    @Schema(description = "What an operator watches on one service")
    record Status(String service, List<Breaker> breakers, List<Bulkhead> bulkheads,
            @Schema(description = "watched gauges by name (outbox backlog, inbox parked, stuck sagas, ledger audit "
                    + "drift, ...), summed over their tags; NaN while the database is unreachable") Map<String, Double> gauges,
            List<Lag> consumerLag) {
    }

    @GetMapping("/api/v1/admin/status")
    @Operation(summary = "Circuit breakers, bulkheads, messaging backlog, consumer lag and watch gauges of this service "
            + "(operators: ADMIN or VIEWER)")
    Status status() {
        List<Breaker> breakerList = breakers.stream().flatMap(r -> r.getAllCircuitBreakers().stream())
                .map(b -> new Breaker(b.getName(), b.getState().name(), b.getMetrics().getFailureRate(),
                        b.getMetrics().getSlowCallRate(), b.getMetrics().getNumberOfBufferedCalls(),
                        b.getMetrics().getNumberOfFailedCalls(), b.getMetrics().getNumberOfNotPermittedCalls()))
                .sorted(Comparator.comparing(Breaker::name)).toList();
        List<Bulkhead> bulkheadList = bulkheads.stream().flatMap(r -> r.getAllBulkheads().stream())
                .map(b -> new Bulkhead(b.getName(), b.getMetrics().getAvailableConcurrentCalls(),
                        b.getMetrics().getMaxAllowedConcurrentCalls()))
                .sorted(Comparator.comparing(Bulkhead::name)).toList();
        Map<String, Double> gauges = new LinkedHashMap<>();
        for (String name : WATCHED_GAUGES) {
            List<Double> values = meters.find(name).meters().stream().map(ServiceStatusController::value)
                    .filter(Objects::nonNull).toList();
            if (!values.isEmpty()) {
                gauges.put(name, values.stream().mapToDouble(Double::doubleValue).sum());
            }
        }
        Map<String, Lag> lag = new TreeMap<>();
        meters.find(CONSUMER_LAG).meters().forEach(meter -> {
            Double records = value(meter);
            String topic = meter.getId().getTag("topic");
            if (records != null && topic != null && !records.isNaN()) {
                Lag row = new Lag(meter.getId().getTag("client.id"), topic, meter.getId().getTag("partition"), records);
                lag.put(row.clientId() + "|" + topic + "|" + row.partition(), row);
            }
        });
        return new Status(service, breakerList, bulkheadList, gauges, List.copyOf(lag.values()));
    }

    private static Double value(Meter meter) {
        var measurements = meter.measure().iterator();
        return measurements.hasNext() ? measurements.next().getValue() : null;
    }
}
