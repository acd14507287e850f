package dev.bulwark.platform.ratelimit;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import dev.bulwark.platform.web.ApiException;

/**
 * The write token of the current {@link IdempotentWrite} request: taken, or refused with the 429
 * the handler raises unless it replays a stored answer.
 */
public final class WriteToken {

    static final String ATTRIBUTE = WriteToken.class.getName();
    private static final WriteToken NONE = new WriteToken(null, null, null);

    private final RateLimit limit;
    private final String key;
    private final ApiException refusal;
    private boolean settled;

    private WriteToken(RateLimit limit, String key, ApiException refusal) {
        this.limit = limit;
        this.key = key;
        this.refusal = refusal;
    }

    static WriteToken taken(RateLimit limit, String key) {
        return new WriteToken(limit, key, null);
    }

    static WriteToken refused(ApiException refusal) {
        return new WriteToken(null, null, refusal);
    }

    /** This request's token; outside an {@link IdempotentWrite} request one that allows everything. */
    public static WriteToken current() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        Object token = request == null ? null : request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        return token instanceof WriteToken t ? t : NONE;
    }

    /** Whether the bucket was empty: a new request must then be refused. */
    public boolean refused() {
        return refusal != null;
    }

    /** The 429 for a new request that found the bucket empty. */
    public ApiException refusal() {
        settled = true;
        return refusal;
    }

    /** The request replayed a stored answer: its token goes back to the bucket. */
    public void giveBack() {
        settled = true;
        if (limit != null) {
            limit.giveBack(key);
        }
    }

    /** The request was new and had its token. */
    public void spend() {
        settled = true;
    }

    /** A refused token nobody looked at means a handler ran a write past the limit. */
    boolean unsettledRefusal() {
        return refusal != null && !settled;
    }
}
