package dev.bulwark.platform.http;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.function.Supplier;

import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;

/**
 * The only place that builds outbound HTTP clients. Every client it makes is a declarative
 * {@code @HttpExchange} interface whose every call goes through a circuit breaker and a bulkhead
 * that refuses at once when full, over an HTTP client with connect and read timeouts. Idempotent
 * reads ({@code GET}) that failed fast (a refused connection, a 5xx) are retried with jittered backoff
 * within a retry budget (never after a read timeout), and never while
 * the breaker is open. One caller (the authenticated principal a call is made for) may hold only
 * its share of the bulkhead ({@link CallerLimits}); beyond it a call is refused locally with
 * {@link CallerLimitExceededException}, so that one caller's flood cannot fill the bulkhead or
 * open the breaker every other caller depends on; and its failed or slow calls count towards opening
 * the breaker only when other callers' calls fail too ({@link SharedBreaker}). The caller's bearer token is relayed so the
 * downstream service applies the same authorization. An architecture test fails the build if code builds a client elsewhere.
 */
public class ResilientClients {

    /** How recent another caller's outcome must be to count as evidence of the downstream's health ({@link SharedBreaker}). */
    static final Duration EVIDENCE = Duration.ofSeconds(5);

    private final ClientProperties properties;
    private final RestClient.Builder builder;
    private final CircuitBreakerRegistry circuitBreakers;
    private final BulkheadRegistry bulkheads;
    private final RetryRegistry retries;

    public ResilientClients(ClientProperties properties, RestClient.Builder builder,
            CircuitBreakerRegistry circuitBreakers, BulkheadRegistry bulkheads, RetryRegistry retries) {
        this.properties = properties;
        this.builder = builder;
        this.circuitBreakers = circuitBreakers;
        this.bulkheads = bulkheads;
        this.retries = retries;
    }

    /** A client for the downstream service configured as {@code bulwark.clients.<name>}. */
    public <T> T create(String name, Class<T> api) {
        ClientProperties.Client settings = properties.clients().get(name);
        if (settings == null || settings.baseUrl() == null) {
            throw new IllegalStateException("No bulwark.clients." + name + ".base-url configured");
        }
        HttpComponentsClientHttpRequestFactory requests = new HttpComponentsClientHttpRequestFactory(httpClient(settings));
        requests.setReadTimeout(settings.readTimeout());
        requests.setConnectionRequestTimeout(settings.connectTimeout());
        RestClient client = builder.clone()
                .baseUrl(settings.baseUrl())
                .requestFactory(requests)
                .requestInterceptor(relayBearerToken())
                .build();
        T target = HttpServiceProxyFactory.builderFor(RestClientAdapter.create(client)).build().createClient(api);

        CircuitBreaker breaker = circuitBreakers.circuitBreaker(name);
        // Evidence as old as an open breaker's wait is still about the downstream as it is now.
        SharedBreaker shared = new SharedBreaker(breaker, EVIDENCE);
        Bulkhead bulkhead = bulkheads.bulkhead(name, BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrent())
                .maxWaitDuration(Duration.ZERO)
                .build());
        CallerLimits callerLimits = new CallerLimits(name, settings.maxConcurrentPerCaller());
        RetryBudget budget = new RetryBudget(0.2, 10);
        Retry retry = retries.retry(name, RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(50), 2.0, 0.5))
                // A 4xx answer will not change on a retry; an open breaker or a full bulkhead must fail fast.
                // A read that timed out is not retried either: the caller's budget was the read timeout,
                // and more calls to a downstream too slow to answer are how one slow service spreads.
                .retryOnException(e -> !(e instanceof CallNotPermittedException)
                        && !(e instanceof BulkheadFullException) && !(e instanceof HttpClientErrorException)
                        && !timedOut(e) && budget.tryRetry())
                .build());

        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(target, args);
            }
            // The api may be package-private in the service that declares it.
            method.setAccessible(true);
            budget.recordCall();
            Supplier<Object> call = () -> invoke(target, method, args);
            // The bulkhead sits outside the breaker: a full bulkhead is this service's own queue, not
            // the downstream failing, so it must not count towards opening the breaker. The caller's
            // own share is checked first, once for the call and its retries.
            Supplier<Object> guarded = Bulkhead.decorateSupplier(bulkhead, () -> shared.call(call));
            Supplier<Object> attempts = isIdempotentRead(method) ? Retry.decorateSupplier(retry, guarded) : guarded;
            return callerLimits.call(attempts);
        };
        return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] { api }, handler));
    }

    /**
     * A blocking HTTP/1.1 client whose calls run wholly on the calling (virtual) thread. The JDK
     * client this replaced handed every call from the caller to its selector thread, to its
     * executor and back, and on a loaded machine each hand-off waited for a core: the player
     * screen's three downstream reads paid that on its critical path (docs/benchmarks.md). Pooled
     * connections, as many per downstream as its bulkhead lets calls fly; retries are the
     * factory's (budgeted), not the client's.
     */
    private static CloseableHttpClient httpClient(ClientProperties.Client settings) {
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(settings.maxConcurrent())
                .setMaxConnTotal(settings.maxConcurrent())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setSocketTimeout(Timeout.of(settings.readTimeout()))
                        // A connection the downstream closed while idle is found before it is used, not by a failed call.
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .build();
        return HttpClients.custom().setConnectionManager(connections).disableAutomaticRetries()
                .disableCookieManagement().disableRedirectHandling().build();
    }

    static boolean timedOut(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            // The HTTP client reports its read timeout as SocketTimeoutException; the JDK client's
            // (HttpTimeoutException, or a cancellation while the body was read) are kept for any other factory.
            if (cause instanceof java.net.http.HttpTimeoutException || cause instanceof java.net.SocketTimeoutException
                    || cause instanceof java.util.concurrent.CancellationException) {
                return true;
            }
        }
        return false;
    }

    static boolean isIdempotentRead(Method method) {
        if (method.isAnnotationPresent(GetExchange.class)) {
            return true;
        }
        HttpExchange exchange = method.getAnnotation(HttpExchange.class);
        return exchange != null && "GET".equalsIgnoreCase(exchange.method());
    }

    private static Object invoke(Object target, Method method, Object[] args) {
        try {
            return method.invoke(target, args);
        }
        catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
        catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ClientHttpRequestInterceptor relayBearerToken() {
        return (request, body, execution) -> {
            if (!request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)
                    && SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken jwt) {
                request.getHeaders().setBearerAuth(jwt.getToken().getTokenValue());
            }
            return execution.execute(request, body);
        };
    }
}
