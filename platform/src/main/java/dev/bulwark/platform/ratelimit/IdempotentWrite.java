package dev.bulwark.platform.ratelimit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a write handler that looks its Idempotency-Key up before anything that could refuse it.
 * {@link WriteLimiter} then does not refuse such a request itself: it takes the token if there is
 * one and leaves the decision to the handler through {@link WriteToken#current()} — a replay of
 * a stored answer gives its token back (or never needed one), a new request without a token is
 * refused with the usual 429. So a client retrying a write that landed gets the first answer
 * whatever its budget, and retries do not spend it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface IdempotentWrite {
}
