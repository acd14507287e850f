package dev.bulwark.player.graph;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.bulwark.platform.security.Access;
import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import reactor.core.publisher.Mono;

/**
 * How many queries one caller (a token's subject) may send: a token bucket of
 * {@code bulwark.graphql.queries-per-caller} ({@code capacity}, {@code refill} per {@code period}),
 * taken before the query is parsed, so a flooding caller's surplus costs no downstream call, no
 * bulkhead permit and no breaker sample. A real client asks for a screen every few seconds; the
 * bucket's burst covers a screen's retries. The per-caller bulkhead share bounds how many calls one
 * caller has in flight; this bounds how many it makes over time. Refused: one error classified
 * RATE_LIMITED with {@code extensions.retryAfterSeconds}, and a {@code Retry-After} header. The
 * buckets live in this instance's memory (see docs/decisions.md); idle callers' buckets are dropped.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class QueryRate implements WebGraphQlInterceptor {

    private final Access access;
    private final long capacity;
    private final long refill;
    private final Duration period;
    private final Cache<String, Bucket> buckets;

    QueryRate(Access access,
            @Value("${bulwark.graphql.queries-per-caller.capacity:10}") long capacity,
            @Value("${bulwark.graphql.queries-per-caller.refill:5}") long refill,
            @Value("${bulwark.graphql.queries-per-caller.period:1s}") Duration period) {
        this.access = access;
        this.capacity = capacity;
        this.refill = refill;
        this.period = period;
        // A bucket idle for longer than it takes to refill is full again: forgetting it changes nothing.
        long refillNanos = period.toNanos() * Math.max(1, (capacity + refill - 1) / refill);
        this.buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofNanos(refillNanos).plusSeconds(1))
                .maximumSize(1_000_000).build();
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        String caller = access.subject();
        if (caller == null) {
            // Only signed-in callers reach /graphql; without a subject there is no one to count.
            return chain.next(request);
        }
        ConsumptionProbe probe = buckets.get(caller, key -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return chain.next(request);
        }
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        ExecutionResult refused = ExecutionResult.newExecutionResult().addError(GraphqlErrorBuilder.newError()
                .errorType(GraphErrors.Classification.RATE_LIMITED)
                .message("Too many queries from this caller; retry after " + seconds + " s")
                .extensions(Map.of("retryAfterSeconds", seconds))
                .build()).build();
        WebGraphQlResponse response = new WebGraphQlResponse(
                new DefaultExecutionGraphQlResponse(request.toExecutionInput(), refused));
        response.getResponseHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return Mono.just(response);
    }

    private Bucket newBucket() {
        return Bucket.builder().addLimit(limit -> limit.capacity(capacity).refillGreedy(refill, period)).build();
    }
}
