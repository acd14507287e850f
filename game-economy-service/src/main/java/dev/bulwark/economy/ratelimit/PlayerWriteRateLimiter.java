package dev.bulwark.economy.ratelimit;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.bulwark.platform.security.Access;
import dev.bulwark.platform.web.Problems;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Limits writes to a player's resources ({@code /api/v1/players/{playerId}/...}, any method but
 * GET/HEAD/OPTIONS) per (caller, player), with Bucket4j token buckets kept in memory. Over the
 * limit: 429 problem+json with {@code Retry-After} in whole seconds, and the request is not run.
 * Keyed by caller too, so that nobody can spend a player's budget by writing to their paths.
 */
@Component
class PlayerWriteRateLimiter implements HandlerInterceptor {

    private final RateLimitProperties properties;
    private final Access access;
    private final JsonMapper mapper;
    private final Cache<String, Bucket> buckets;

    PlayerWriteRateLimiter(RateLimitProperties properties, Access access, JsonMapper mapper) {
        this.properties = properties;
        this.access = access;
        this.mapper = mapper;
        Duration idle = properties.period().multipliedBy(
                Math.max(1, (properties.burst() + properties.refill() - 1) / properties.refill()));
        // A bucket idle for longer than it takes to refill completely is full: forgetting it changes nothing.
        this.buckets = Caffeine.newBuilder().expireAfterAccess(idle).maximumSize(1_000_000).build();
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        HttpMethod method = HttpMethod.valueOf(request.getMethod());
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return true;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request
                .getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String player = variables == null ? null : variables.get("playerId");
        if (player == null) {
            return true;
        }
        Bucket bucket = buckets.get(access.subject() + "|" + player, key -> newBucket());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return true;
        }
        long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader("Retry-After", Long.toString(retryAfter));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        mapper.writeValue(response.getOutputStream(), Problems.of(HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                "Too many writes for this player; retry after " + retryAfter + " s"));
        return false;
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(properties.burst()).refillGreedy(properties.refill(), properties.period()))
                .build();
    }
}
