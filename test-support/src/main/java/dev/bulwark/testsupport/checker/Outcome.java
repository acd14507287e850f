package dev.bulwark.testsupport.checker;

/** What a client knows after one attempt. */
public enum Outcome {
    /** A 2xx: the server says it is done. */
    ACKNOWLEDGED,
    /** A 4xx: the server says it did not do it (429 included: nothing was applied). */
    REFUSED,
    /** A timeout, a broken connection or a 5xx: it may or may not have been applied. */
    UNKNOWN
}
