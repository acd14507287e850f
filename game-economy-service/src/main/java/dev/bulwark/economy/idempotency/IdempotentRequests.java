package dev.bulwark.economy.idempotency;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.bulwark.economy.sharding.Shard;
import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.events.Contracts;
import dev.bulwark.platform.messaging.SingleInstance;
import dev.bulwark.platform.ratelimit.IdempotentWrite;
import dev.bulwark.platform.ratelimit.WriteToken;
import dev.bulwark.platform.web.ApiException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a mutating request at most once per Idempotency-Key, scoped to (caller, route). The key
 * is claimed with an insert in the same transaction as the effect and the stored response, so
 * either all three commit or none does: a refused request (an exception) leaves the key free. A
 * concurrent duplicate blocks on the primary key until the first commits, then reads the stored
 * response; the same key with another body (by SHA-256 of its canonical JSON) is 409.
 *
 * <p>The key comes first: everything that could refuse a request — the write limit, an expired
 * lease, the catalog — runs inside {@code effect}, after the key was found new, so a retry of a
 * request that landed gets its first answer whatever happened since. The platform's write limit
 * defers to this class ({@link IdempotentWrite}): a replay gives its token back, and a caller out
 * of tokens still gets its stored answers (a new request is then 429). A new request costs one
 * transaction here besides the limit's own.
 */
@Component
public class IdempotentRequests {

    private static final Logger log = LoggerFactory.getLogger(IdempotentRequests.class);
    private static final JsonMapper CANONICAL = Contracts.MAPPER.rebuild()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private final Shards shards;
    private final Clock clock;
    private final IdempotencyProperties properties;
    private final SingleInstance singleInstance;

    IdempotentRequests(Shards shards, Clock clock, IdempotencyProperties properties, SingleInstance singleInstance) {
        this.shards = shards;
        this.clock = clock;
        this.properties = properties;
        this.singleInstance = singleInstance;
    }

    /** The response as first given: replayed byte for byte. */
    public record StoredResponse(int status, String body, String location) {

        /** A 201 with a JSON body and no Location. */
        public static StoredResponse created(Object body) {
            return new StoredResponse(201, Contracts.MAPPER.writeValueAsString(body), null);
        }

        /** The HTTP answer, as first given. */
        public ResponseEntity<String> entity() {
            ResponseEntity.BodyBuilder builder = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
            if (location != null) {
                builder.location(URI.create(location));
            }
            return builder.body(body);
        }
    }

    private record Outcome(StoredResponse response, boolean replayed) {
    }

    /**
     * Answers with the stored response for a known key, or runs {@code effect} (checks included)
     * in one transaction with the key's claim and stores its response. The player id places the
     * record with the player's rows: the transaction is the player's shard's, and {@code effect}
     * runs in it.
     */
    public StoredResponse execute(String caller, String route, String key, UUID playerId, Object request,
            Supplier<StoredResponse> effect) {
        requireValid(key);
        String hash = hash(request);
        Shard jdbc = shards.forPlayer(playerId);
        WriteToken token = WriteToken.current();
        if (token.refused()) {
            StoredResponse stored = jdbc.read(() -> stored(jdbc, caller, route, key, hash)).orElseThrow(token::refusal);
            token.giveBack();
            return stored;
        }
        Outcome outcome = jdbc.inTransaction(() -> {
            int claimed = jdbc.sql("""
                    INSERT INTO idempotency_record (caller, route, idempotency_key, player_id, request_hash, created_at)
                    VALUES (:caller, :route, :key, :player, :hash, :now)
                    ON CONFLICT (caller, route, idempotency_key) DO NOTHING""")
                    .param("caller", caller).param("route", route).param("key", key).param("player", playerId)
                    .param("hash", hash).param("now", Timestamp.from(clock.instant()))
                    .update();
            if (claimed == 0) {
                return new Outcome(stored(jdbc, caller, route, key, hash).orElseThrow(), true);
            }
            StoredResponse response = effect.get();
            jdbc.sql("""
                    UPDATE idempotency_record SET response_status = :status, response_body = :body, location = :location
                    WHERE caller = :caller AND route = :route AND idempotency_key = :key""")
                    .param("status", response.status()).param("body", response.body())
                    .param("location", response.location())
                    .param("caller", caller).param("route", route).param("key", key)
                    .update();
            return new Outcome(response, false);
        });
        if (outcome.replayed()) {
            token.giveBack();
        } else {
            token.spend();
        }
        return outcome.response();
    }

    /**
     * Where the records of a caller's keys live, for routes whose scope names no player (a
     * transfer): with the caller (a player's own id is its subject), so one key can only ever be
     * claimed on one shard, whatever the body names.
     */
    public static UUID placementOf(String caller) {
        try {
            return UUID.fromString(caller);
        } catch (IllegalArgumentException notAPlayer) {
            return UUID.nameUUIDFromBytes(caller.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Whether a key's record would live on this shard. */
    public boolean livesOn(UUID placement, Shard shard) {
        return shards.forPlayer(placement) == shard;
    }

    /**
     * A key to claim inside a transaction that spans shards: {@link #record} inserts the record
     * with its response on the record's shard, in the participant's transaction there, so the key
     * commits if and only if the effect does.
     */
    public static final class Claim {

        private final Shard shard;
        private final String caller;
        private final String route;
        private final String key;
        private final UUID placement;
        private final String hash;
        private final Clock clock;

        private Claim(Shard shard, String caller, String route, String key, UUID placement, String hash, Clock clock) {
            this.shard = shard;
            this.caller = caller;
            this.route = route;
            this.key = key;
            this.placement = placement;
            this.hash = hash;
            this.clock = clock;
        }

        public Shard shard() {
            return shard;
        }

        /**
         * Inserts the key's record with its response; a key taken meanwhile (a concurrent
         * duplicate that committed first) aborts the whole transaction with {@link KeyTaken}.
         */
        public void record(StoredResponse response) {
            shard.requireTransaction();
            int inserted = shard.sql("""
                    INSERT INTO idempotency_record (caller, route, idempotency_key, player_id, request_hash, created_at,
                                                    response_status, response_body, location)
                    VALUES (:caller, :route, :key, :player, :hash, :now, :status, :body, :location)
                    ON CONFLICT (caller, route, idempotency_key) DO NOTHING""")
                    .param("caller", caller).param("route", route).param("key", key).param("player", placement)
                    .param("hash", hash).param("now", Timestamp.from(clock.instant()))
                    .param("status", response.status()).param("body", response.body())
                    .param("location", response.location())
                    .update();
            if (inserted == 0) {
                throw new KeyTaken();
            }
        }
    }

    /** The key of a cross-shard effect was claimed by another request first: answer from its record. */
    static final class KeyTaken extends ApiException {

        KeyTaken() {
            super(ApiException.conflict("idempotency-key-in-use", "The key was claimed meanwhile"));
        }
    }

    /**
     * {@link #execute} for an effect that runs its own transaction across shards: a known key is
     * answered from its record; a new one is handed to {@code effect} as a {@link Claim}, which
     * the effect records in the participant of the record's shard. If a concurrent duplicate
     * claimed the key first, the answer is that request's.
     */
    public StoredResponse executeAcross(String caller, String route, String key, UUID placement, Object request,
            java.util.function.Function<Claim, StoredResponse> effect) {
        requireValid(key);
        String hash = hash(request);
        Shard shard = shards.forPlayer(placement);
        WriteToken token = WriteToken.current();
        Optional<StoredResponse> known = shard.read(() -> stored(shard, caller, route, key, hash));
        if (token.refused()) {
            StoredResponse stored = known.orElseThrow(token::refusal);
            token.giveBack();
            return stored;
        }
        if (known.isPresent()) {
            token.giveBack();
            return known.get();
        }
        try {
            StoredResponse response = effect.apply(new Claim(shard, caller, route, key, placement, hash, clock));
            token.spend();
            return response;
        } catch (KeyTaken taken) {
            token.giveBack();
            return shard.read(() -> stored(shard, caller, route, key, hash)).orElseThrow(() -> taken);
        }
    }

    /** The committed answer for a key, if any; another body under the same key is 409. */
    private static Optional<StoredResponse> stored(Shard jdbc, String caller, String route, String key, String hash) {
        return jdbc.sql("""
                SELECT request_hash, response_status, response_body, location FROM idempotency_record
                WHERE caller = :caller AND route = :route AND idempotency_key = :key""")
                .param("caller", caller).param("route", route).param("key", key)
                .query((rs, n) -> {
                    if (!rs.getString("request_hash").equals(hash)) {
                        throw new IdempotencyRefusal(IdempotencyRefusal.Reason.IDEMPOTENCY_KEY_REUSED,
                                "This Idempotency-Key was used with another request body");
                    }
                    return new StoredResponse(rs.getInt("response_status"), rs.getString("response_body"),
                            rs.getString("location"));
                })
                .optional();
    }

    /** Forgets keys older than the retention, on one instance at a time. */
    @Scheduled(fixedDelayString = "${bulwark.economy.idempotency.cleanup-interval}",
            initialDelayString = "${bulwark.economy.idempotency.cleanup-interval}")
    void forgetExpired() {
        singleInstance.runIfFree("economy.idempotency-cleanup", () -> {
            Timestamp before = Timestamp.from(clock.instant().minus(properties.retention()));
            for (Shard shard : shards.all()) {
                try {
                    int deleted = shard.read(() -> shard.sql("DELETE FROM idempotency_record WHERE created_at < :before")
                            .param("before", before).update());
                    if (deleted > 0) {
                        log.info("Forgot {} idempotency keys older than {} on {}", deleted, properties.retention(), shard.id());
                    }
                } catch (RuntimeException unavailable) {
                    log.warn("Idempotency keys of {} not cleaned this time: {}", shard.id(), unavailable.toString());
                }
            }
        });
    }

    private static void requireValid(String key) {
        if (key == null || key.isBlank() || key.length() > 255 || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IdempotencyRefusal(IdempotencyRefusal.Reason.INVALID_IDEMPOTENCY_KEY,
                    "Idempotency-Key must be 1 to 255 visible ASCII characters");
        }
    }

    static String hash(Object request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(CANONICAL.writeValueAsString(request).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
