package dev.bulwark.testsupport.checker;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * Tells whether an operation whose client never heard back was applied: the body the service
 * stored for its Idempotency-Key, if the key's transaction committed. Without one the checker
 * can only say how many such operations could explain what it finds.
 */
@FunctionalInterface
public interface AppliedKeys {

    /** The stored 2xx response body of each of {@code keys} (one player's) that was applied; absent keys were not. */
    Map<String, String> storedResponses(UUID player, Collection<String> keys) throws Exception;
}
