package dev.bulwark.economy.saga;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.bulwark.economy.sharding.Shard;
import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.events.Contracts;

/**
 * Saga rows and their step log, kept with the buyer's data (through {@link Shards}, like every
 * player row). Every write is conditional on the version read.
 */
@Component
class SagaStore {

    /** A stored row before its data is read with the definition's type. */
    record Row(UUID id, String type, UUID playerId, SagaState state, int step, String data, Instant deadline,
            int cancelAttempts, String reason, Instant createdAt, Instant updatedAt, long version) {

        <D> SagaInstance<D> instance(Class<D> dataType) {
            return new SagaInstance<>(id, type, state, step, Contracts.MAPPER.readValue(data, dataType), deadline,
                    cancelAttempts, reason, version);
        }
    }

    record LogEntry(int seq, String step, String action, String detail, Instant at) {
    }

    private static final String COLUMNS = """
            id, type, player_id, state, step, data::text AS data, deadline, cancel_attempts, reason, created_at,
            updated_at, version""";

    private final Shards shards;

    SagaStore(Shards shards) {
        this.shards = shards;
    }

    void insert(SagaInstance<?> instance, UUID playerId, Instant now) {
        shards.forPlayer(playerId).sql("""
                INSERT INTO saga (id, type, player_id, state, step, data, deadline, cancel_attempts, reason, created_at, updated_at)
                VALUES (:id, :type, :player, :state, :step, CAST(:data AS jsonb), :deadline, :attempts, :reason, :now, :now)""")
                .param("id", instance.id()).param("type", instance.type()).param("player", playerId)
                .param("state", instance.state().name()).param("step", instance.step())
                .param("data", Contracts.MAPPER.writeValueAsString(instance.data()))
                .param("deadline", timestamp(instance.deadline())).param("attempts", instance.cancelAttempts())
                .param("reason", instance.reason()).param("now", timestamp(now))
                .update();
    }

    void update(SagaInstance<?> instance, UUID playerId, Instant now) {
        int updated = shards.forPlayer(playerId).sql("""
                UPDATE saga SET state = :state, step = :step, data = CAST(:data AS jsonb), deadline = :deadline,
                       cancel_attempts = :attempts, reason = :reason, updated_at = :now, version = version + 1,
                       parked_at = NULL, park_reason = NULL
                WHERE id = :id AND version = :version""")
                .param("id", instance.id()).param("version", instance.version())
                .param("state", instance.state().name()).param("step", instance.step())
                .param("data", Contracts.MAPPER.writeValueAsString(instance.data()))
                .param("deadline", timestamp(instance.deadline())).param("attempts", instance.cancelAttempts())
                .param("reason", instance.reason()).param("now", timestamp(now))
                .update();
        if (updated != 1) {
            throw new OptimisticLockingFailureException("Saga " + instance.id() + " changed concurrently");
        }
    }

    /** The row, locked until the transaction ends, so replies and deadlines of one saga take turns. */
    Optional<Row> lock(UUID id) {
        return byId("SELECT " + COLUMNS + " FROM saga WHERE id = :id FOR UPDATE", id);
    }

    Optional<Row> find(UUID id) {
        return byId("SELECT " + COLUMNS + " FROM saga WHERE id = :id", id);
    }

    /** A saga id is its purchase's id, which carries the buyer's ring point: the look-up asks that shard first. */
    private Optional<Row> byId(String sql, UUID id) {
        return shards.lookupOrder(id)
                .flatMap(jdbc -> jdbc.read(() -> jdbc.sql(sql).param("id", id).query(SagaStore::row).optional()).stream())
                .findFirst();
    }

    /** The shard holding a saga (the one its id points at when no shard has it). */
    Shard shardOf(UUID id) {
        return shards.lookupOrder(id)
                .filter(jdbc -> jdbc.read(() -> jdbc.sql("SELECT count(*) FROM saga WHERE id = :id").param("id", id)
                        .query(Long.class).single()) > 0)
                .findFirst().orElseGet(() -> shards.forId(id));
    }

    /** The outbox of the buyer's shard, where a saga's commands commit with its row. */
    Outbox outbox(UUID playerId) {
        return shards.forPlayer(playerId).outbox();
    }

    /**
     * Sagas whose deadline has passed, oldest first, except parked ones. Not locked here: each is
     * locked by the transaction that handles it.
     */
    List<UUID> due(Instant now, int limit) {
        return shards.all().stream().flatMap(jdbc -> jdbc.sql("""
                SELECT id FROM saga WHERE state IN ('WAITING', 'CANCELLING') AND parked_at IS NULL AND deadline <= :now
                ORDER BY deadline LIMIT :limit""")
                .param("now", timestamp(now)).param("limit", limit)
                .query(UUID.class).list().stream()).toList();
    }

    /** Leaves a saga out of the deadline scans until a transition succeeds (an operator's retry or cancel); its type. */
    String park(UUID id, String reason, Instant now) {
        return shards.lookupOrder(id).flatMap(jdbc -> jdbc.sql(
                        "UPDATE saga SET parked_at = :now, park_reason = :reason WHERE id = :id RETURNING type")
                .param("id", id).param("now", timestamp(now)).param("reason", reason)
                .query(String.class).optional().stream()).findFirst().orElse(null);
    }

    long parked() {
        return shards.all().stream()
                .mapToLong(jdbc -> jdbc.sql("SELECT count(*) FROM saga WHERE parked_at IS NOT NULL").query(Long.class).single())
                .sum();
    }

    /**
     * Newest first. Two statements rather than one with an optional {@code (:state IS NULL OR
     * state = :state)}: a prepared statement's generic plan cannot use an index for that
     * condition, so every filtered list read the whole table.
     */
    static final String LIST_BY_STATE = "SELECT " + COLUMNS + " FROM saga WHERE state = :state ORDER BY created_at DESC LIMIT :limit";
    static final String LIST_ALL = "SELECT " + COLUMNS + " FROM saga ORDER BY created_at DESC LIMIT :limit";

    List<Row> list(Optional<SagaState> state, int limit) {
        return shards.all().stream().flatMap(jdbc -> {
                    JdbcClient.StatementSpec sql = state.isPresent()
                            ? jdbc.sql(LIST_BY_STATE).param("state", state.get().name())
                            : jdbc.sql(LIST_ALL);
                    return sql.param("limit", limit).query(SagaStore::row).list().stream();
                })
                .sorted(Comparator.comparing(Row::createdAt).reversed()).limit(limit).toList();
    }

    /** Sagas past their participant's deadline: waiting beyond it, or with a Cancel out and unanswered. */
    long stuck(String type, Instant now) {
        return shards.all().stream().mapToLong(jdbc -> jdbc.sql("""
                SELECT count(*) FROM saga
                WHERE type = :type AND (state = 'CANCELLING' OR (state = 'WAITING' AND deadline <= :now))""")
                .param("type", type).param("now", timestamp(now)).query(Long.class).single()).sum();
    }

    void log(UUID playerId, UUID sagaId, String step, String action, String detail, Instant at) {
        shards.forPlayer(playerId).sql("""
                INSERT INTO saga_step_log (saga_id, seq, step, action, detail, at)
                SELECT :id, coalesce(max(seq), 0) + 1, :step, :action, :detail, :at FROM saga_step_log WHERE saga_id = :id""")
                .param("id", sagaId).param("step", step).param("action", action).param("detail", detail)
                .param("at", timestamp(at))
                .update();
    }

    List<LogEntry> log(UUID playerId, UUID sagaId) {
        return shards.forPlayer(playerId)
                .sql("SELECT seq, step, action, detail, at FROM saga_step_log WHERE saga_id = :id ORDER BY seq")
                .param("id", sagaId)
                .query((rs, n) -> new LogEntry(rs.getInt("seq"), rs.getString("step"), rs.getString("action"),
                        rs.getString("detail"), rs.getTimestamp("at").toInstant()))
                .list();
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        Timestamp deadline = rs.getTimestamp("deadline");
        return new Row(rs.getObject("id", UUID.class), rs.getString("type"), rs.getObject("player_id", UUID.class),
                SagaState.valueOf(rs.getString("state")), rs.getInt("step"), rs.getString("data"),
                deadline == null ? null : deadline.toInstant(), rs.getInt("cancel_attempts"), rs.getString("reason"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(), rs.getLong("version"));
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
