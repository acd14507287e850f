package dev.bulwark.platform.http;

/**
 * A call refused before it left the service because its caller already holds as many of the
 * downstream's permits as one caller may ({@code bulwark.clients.<name>.max-concurrent-per-caller}).
 * It is thrown outside the circuit breaker: one caller's flood says nothing about the
 * downstream's health, so it must not open the breaker that every other caller relies on.
 */
public class CallerLimitExceededException extends RuntimeException {

    private final String downstream;

    CallerLimitExceededException(String downstream, int limit) {
        super("this caller already has " + limit + " calls to " + downstream + " in flight", null, false, false);
        this.downstream = downstream;
    }

    public String downstream() {
        return downstream;
    }
}
