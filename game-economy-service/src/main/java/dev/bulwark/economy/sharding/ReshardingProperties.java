package dev.bulwark.economy.sharding;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a resharding job paces itself ({@code bulwark.economy.resharding}): players per copy chunk,
 * the copy's and the cleanup's throttle in rows per second, the catch-up lag (players still to
 * re-copy) under which it may fence, how many fence attempts it makes before it reports the job
 * stuck, and how long a fenced write may wait (the fence's lock timeout, bounded by the ring's).
 */
@ConfigurationProperties("bulwark.economy.resharding")
record ReshardingProperties(@DefaultValue("100") int chunkPlayers, @DefaultValue("20000") double rowsPerSecond,
        @DefaultValue("5") int fenceLagBound, @DefaultValue("20") int fenceAttempts,
        @DefaultValue("300ms") Duration fenceWait) {
}
