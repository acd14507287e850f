package dev.bulwark.sharding;

/**
 * A contiguous run of ring points, both ends inclusive, never wrapping: {@code first <= last} in
 * signed order. Inclusive ends let one range reach {@link Long#MAX_VALUE} and translate directly to
 * {@code ring_point BETWEEN first AND last} on a {@code bigint} column.
 */
public record TokenRange(long first, long last) {

    /** Every point on the ring. */
    public static final TokenRange ALL = new TokenRange(Long.MIN_VALUE, Long.MAX_VALUE);

    public TokenRange {
        if (first > last) {
            throw new IllegalArgumentException("a token range does not wrap: " + first + " > " + last);
        }
    }

    public boolean contains(long point) {
        return first <= point && point <= last;
    }

    /** The part of the ring this range covers, in [0, 1]. */
    public double fraction() {
        long span = last - first; // the number of points less one, as an unsigned long
        double points = (double) (span >>> 1) * 2 + (span & 1) + 1;
        return Math.scalb(points, -64);
    }
}
