package dev.bulwark.economy.sharding;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.google.common.util.concurrent.RateLimiter;

import dev.bulwark.events.Contracts;
import dev.bulwark.platform.web.ApiException;
import dev.bulwark.sharding.HashRing;
import dev.bulwark.sharding.TokenRange;
import tools.jackson.core.type.TypeReference;

/**
 * Online resharding: one durable job at a time (its row on shard 0), run by one replica (an
 * advisory lock on shard 0), in phases that each survive a crash of the economy:
 * <ol>
 * <li>PLANNED — the next ring and the ranges that move; the sources' range rows split so the
 * fence can lock exactly the moving ones; change capture on at the sources; the moving players
 * listed.</li>
 * <li>COPYING — the players' rows, chunk by chunk, throttled (re-copying a player replaces it).</li>
 * <li>CATCHING_UP — re-copies the players whose rows changed since (the capture's markers),
 * until fewer than the lag bound remain.</li>
 * <li>FENCED — one two-phase commit over the sources and the target: the sources lock the moving
 * range rows (writes in flight drain, new ones on those ranges wait; no other key waits), the
 * last changes are copied, the sources give the ranges up and the target takes them, with the
 * new ring version on both. A fence that cannot lock within the lock timeout gives up and the
 * job catches up again.</li>
 * <li>SWITCHED → VERIFYING (ledger and projection checksums on both sides) → CLEANING (the
 * source's copies deleted, throttled) → DONE.</li>
 * </ol>
 * Before the switch the job can be aborted (or fails): the target's copies are deleted and the
 * source keeps owning everything. After it, the job only rolls forward.
 */
@Component
class ReshardJobs implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ReshardJobs.class);
    private static final long RUNNER_LOCK = 0x7265736861726431L; // "reshard1"

    public enum Phase {
        PLANNED, COPYING, CATCHING_UP, FENCED, SWITCHED, VERIFYING, CLEANING, DONE, ABORTED, FAILED;

        boolean beforeSwitch() {
            return ordinal() < SWITCHED.ordinal();
        }
    }

    public enum Kind {
        ADD_SHARD, REMOVE_SHARD, REWEIGHT
    }

    /** What an operator asked for. */
    public record Request(Kind kind, String shardId, String jdbcUrl, Double weight) {
    }

    /** A job as the API shows it. */
    public record View(UUID jobId, Kind kind, String shardId, Phase phase, long fromVersion, long toVersion,
            long movedPlayers, long totalPlayers, double progress, long movedRows, double rowsPerSecond, long lag,
            long fenceMillis, List<String> errors, Instant startedAt, Instant updatedAt, Instant finishedAt) {
    }

    /** Thrown by a test's checkpoint to stop the runner where it stands, as a crash would. */
    public static final class Halt extends RuntimeException {
        public Halt(String where) {
            super("halted at " + where);
        }
    }

    private final Shards shards;
    private final CrossShard crossShard;
    private final ReshardingProperties settings;
    private final Clock clock;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "reshard-runner");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Future<?> running;
    private volatile boolean stopping;
    private volatile Consumer<String> checkpoint = where -> {
    };

    ReshardJobs(Shards shards, CrossShard crossShard, ReshardingProperties settings, Clock clock,
            org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        this.shards = shards;
        this.crossShard = crossShard;
        this.settings = settings;
        this.clock = clock;
        meters.ifAvailable(this::bindMetrics);
    }

    /**
     * The active job's phase (its ordinal in {@link Phase}, -1 when none), progress (0–1), catch-up
     * lag (players' changes still to copy) and the seconds since it last recorded progress (0 when
     * none): a job that stops advancing shows there (the stalled-job alert). Read from the job's
     * row at each scrape, so every replica reports the same job.
     */
    private void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Gauge.builder("bulwark.resharding.phase", this,
                jobs -> jobs.activeView().map(v -> (double) v.phase().ordinal()).orElse(-1.0))
                .description("Phase of the active resharding job (ordinal: PLANNED=0 … CLEANING=6), -1 when none")
                .register(registry);
        io.micrometer.core.instrument.Gauge.builder("bulwark.resharding.progress", this,
                jobs -> jobs.activeView().map(View::progress).orElse(0.0))
                .description("Share of the active job's players copied").register(registry);
        io.micrometer.core.instrument.Gauge.builder("bulwark.resharding.lag", this,
                jobs -> jobs.activeView().map(v -> (double) v.lag()).orElse(0.0))
                .description("Changes of moving players the active job has still to copy").register(registry);
        io.micrometer.core.instrument.Gauge.builder("bulwark.resharding.stalled", this,
                jobs -> jobs.activeView().map(v -> (double) Duration.between(v.updatedAt(), clock.instant()).toSeconds())
                        .orElse(0.0))
                .baseUnit("seconds").description("Seconds since the active job last recorded progress").register(registry);
    }

    private Optional<View> activeView() {
        try {
            return activeJob().flatMap(this::view);
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- the API's side

    /** Plans a job and starts it; 409 while another one is active, 400 for a request that cannot be planned. */
    public View start(Request request) {
        HashRing current = shards.ring();
        HashRing next = switch (request.kind()) {
            case ADD_SHARD -> {
                if (current.weights().containsKey(request.shardId())) {
                    throw ApiException.badRequest("shard-exists", "Shard " + request.shardId() + " is already on the ring");
                }
                yield current.withShard(request.shardId(), request.weight() == null ? 1.0 : request.weight());
            }
            case REMOVE_SHARD -> {
                requireOnRing(current, request.shardId());
                if (current.weights().size() == 1) {
                    throw ApiException.badRequest("last-shard", "The last shard cannot be removed");
                }
                if (request.shardId().equals(shards.reference().id())) {
                    throw ApiException.badRequest("primary-shard",
                            "Shard " + request.shardId() + " holds the reference data and the 2PC decisions; it stays");
                }
                yield current.withoutShard(request.shardId());
            }
            case REWEIGHT -> {
                requireOnRing(current, request.shardId());
                if (request.weight() == null || !(request.weight() > 0) || request.weight() > 100) {
                    throw ApiException.badRequest("invalid-weight", "A weight is positive and at most 100");
                }
                yield current.withWeight(request.shardId(), request.weight());
            }
        };
        if (activeJob().isPresent()) {
            throw busy();
        }
        if (request.kind() == Kind.ADD_SHARD) {
            try {
                shards.runtimeSpec(request.shardId(), request.jdbcUrl());
            } catch (IllegalArgumentException invalid) {
                throw ApiException.badRequest("invalid-shard", invalid.getMessage());
            }
        }
        UUID jobId = UUID.randomUUID();
        Instant now = clock.instant();
        try {
            primary().update("""
                    INSERT INTO reshard_job (id, kind, shard_id, request, phase, from_version, to_version, from_weights,
                                             to_weights, started_at, updated_at)
                    VALUES (?, ?, ?, CAST(? AS jsonb), 'PLANNED', ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?, ?)""",
                    jobId, request.kind().name(), request.shardId(), Contracts.MAPPER.writeValueAsString(request),
                    current.version(), next.version(), Contracts.MAPPER.writeValueAsString(current.weights()),
                    Contracts.MAPPER.writeValueAsString(next.weights()),
                    Timestamp.from(now), Timestamp.from(now));
        } catch (DuplicateKeyException another) {
            throw busy();
        }
        log.info("Resharding job {} planned: {} {} (ring {} → {})", jobId, request.kind(), request.shardId(),
                current.version(), next.version());
        resume();
        return view(jobId).orElseThrow();
    }

    private static void requireOnRing(HashRing ring, String shardId) {
        if (!ring.weights().containsKey(shardId)) {
            throw ApiException.badRequest("unknown-shard", "Shard " + shardId + " is not on the ring");
        }
    }

    private static ApiException busy() {
        return ApiException.conflict("resharding-in-progress",
                "Another resharding job is active; wait for it to finish or abort it");
    }

    public Optional<View> view(UUID jobId) {
        return primary().query("SELECT * FROM reshard_job WHERE id = ?", (rs, n) -> {
            long moved = rs.getLong("moved_players");
            long total = rs.getLong("total_players");
            Phase phase = Phase.valueOf(rs.getString("phase"));
            Instant started = rs.getTimestamp("started_at").toInstant();
            Instant updated = rs.getTimestamp("updated_at").toInstant();
            Timestamp finished = rs.getTimestamp("finished_at");
            double seconds = Math.max(0.001, Duration.between(started, finished == null ? clock.instant() : finished.toInstant())
                    .toMillis() / 1000.0);
            double progress = switch (phase) {
                case DONE, SWITCHED, VERIFYING, CLEANING -> 1.0;
                default -> total == 0 ? (phase == Phase.PLANNED ? 0 : 1) : Math.min(1.0, (double) moved / total);
            };
            return new View(rs.getObject("id", UUID.class), Kind.valueOf(rs.getString("kind")), rs.getString("shard_id"),
                    phase, rs.getLong("from_version"), rs.getLong("to_version"), moved, total, progress,
                    rs.getLong("moved_rows"), rs.getLong("moved_rows") / seconds, rs.getLong("lag"),
                    rs.getLong("fence_millis"),
                    Contracts.MAPPER.readValue(rs.getString("errors"), new TypeReference<List<String>>() {
                    }), started, updated, finished == null ? null : finished.toInstant());
        }, jobId).stream().findFirst();
    }

    /** Asks the active job to stop and roll back; 409 once its ranges switched (it only rolls forward then). */
    public View abort(UUID jobId) {
        View job = view(jobId).orElseThrow(() -> ApiException.notFound("resharding job " + jobId));
        if (!job.phase().beforeSwitch()) {
            throw ApiException.conflict("resharding-past-switch",
                    "The job is " + job.phase() + ": its ranges switched or it ended; it can no longer be aborted");
        }
        primary().update("UPDATE reshard_job SET abort_requested = true, updated_at = ? WHERE id = ?",
                Timestamp.from(clock.instant()), jobId);
        resume();
        return view(jobId).orElseThrow();
    }

    Optional<UUID> activeJob() {
        return primary().queryForList("SELECT id FROM reshard_job WHERE active", UUID.class).stream().findFirst();
    }

    // ---------------------------------------------------------------- the runner

    /** Runs the active job, if any, unless it runs already (here or, by the advisory lock, on another replica). */
    @EventListener(ApplicationReadyEvent.class)
    public synchronized void resume() {
        if (running != null && !running.isDone()) {
            return;
        }
        stopping = false;
        running = runner.submit(this::runActive);
    }

    /** Stops the runner where it stands and waits for it (what a crash leaves, short of the process). */
    public void stopRunner() throws Exception {
        stopping = true;
        Future<?> current = running;
        if (current != null) {
            try {
                current.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException ignored) {
                // the halt
            }
        }
    }

    /** For tests: called at each named point of the run; throwing {@link Halt} stops it there. */
    void checkpoint(Consumer<String> checkpoint) {
        this.checkpoint = checkpoint;
    }

    boolean runnerIdle() {
        return running == null || running.isDone();
    }

    private void runActive() {
        Optional<UUID> active = activeJob();
        if (active.isEmpty()) {
            return;
        }
        // One replica runs the job: the lock lives as long as this connection.
        try (var connection = shards.reference().dataSource().getConnection()) {
            JdbcTemplate lock = new JdbcTemplate(new org.springframework.jdbc.datasource.SingleConnectionDataSource(connection, true));
            if (!Boolean.TRUE.equals(lock.queryForObject("SELECT pg_try_advisory_lock(?)", Boolean.class, RUNNER_LOCK))) {
                log.info("Resharding job {} runs on another replica", active.get());
                return;
            }
            try {
                run(active.get());
            } finally {
                lock.queryForObject("SELECT pg_advisory_unlock(?)", Boolean.class, RUNNER_LOCK);
            }
        } catch (Halt halt) {
            log.warn("Resharding runner {}", halt.getMessage());
        } catch (Exception e) {
            log.error("Resharding runner stopped: {}", e.toString(), e);
        }
    }

    private void run(UUID jobId) {
        int failures = 0;
        while (!stopping) {
            try {
                if (step(jobId)) {
                    return;
                }
                failures = 0;
            } catch (Halt halt) {
                throw halt;
            } catch (RuntimeException e) {
                // A shard down, a lock timeout: the phase is durable, so the step is tried again.
                failures++;
                log.warn("Resharding job {}: step failed ({} in a row): {}", jobId, failures, e.toString());
                addError(jobId, e.getClass().getSimpleName() + ": " + e.getMessage());
                Job job = load(jobId);
                if (failures >= 10 && job.phase.beforeSwitch()) {
                    rollBack(job, "10 failures in a row before the switch");
                    return;
                }
                try {
                    Thread.sleep(Math.min(10_000, 500L * failures));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One phase's work; true when the job has ended. */
    private boolean step(UUID jobId) {
        {
            Job job = load(jobId);
            if (job.abortRequested && job.phase.beforeSwitch()) {
                rollBack(job, "aborted by an operator");
                return true;
            }
            checkpoint.accept(job.phase.name());
            switch (job.phase) {
                case PLANNED -> plan(job);
                case COPYING -> copy(job);
                case CATCHING_UP -> catchUp(job);
                case FENCED -> fenceAndSwitch(job);
                case SWITCHED -> phase(job.id, Phase.VERIFYING);
                case VERIFYING -> verify(job);
                case CLEANING -> clean(job);
                case DONE, ABORTED, FAILED -> {
                    return true;
                }
            }
            return false;
        }
    }

    /** A job's durable state and what follows from it (the rings, the moves). */
    private final class Job {
        final UUID id;
        final Phase phase;
        final boolean abortRequested;
        final HashRing from;
        final HashRing to;
        final List<HashRing.Move> moves;
        final int fenceAttempts;
        final Request request;
        final Instant startedAt;

        Job(Request request, Instant startedAt, UUID id, Phase phase, boolean abortRequested, long fromVersion, long toVersion,
                Map<String, Double> toWeights, Map<String, Double> fromWeights, int fenceAttempts) {
            this.request = request;
            this.startedAt = startedAt;
            this.id = id;
            this.phase = phase;
            this.abortRequested = abortRequested;
            this.from = HashRing.of(fromVersion, shards.ring().vnodesPerShard(), fromWeights);
            this.to = HashRing.of(toVersion, shards.ring().vnodesPerShard(), toWeights);
            this.moves = from.movesTo(to);
            this.fenceAttempts = fenceAttempts;
        }

        Set<String> sources() {
            Set<String> sources = new LinkedHashSet<>();
            moves.forEach(m -> sources.add(m.from()));
            return sources;
        }

        Set<String> targets() {
            Set<String> targets = new LinkedHashSet<>();
            moves.forEach(m -> targets.add(m.to()));
            return targets;
        }

        List<TokenRange> leaving(String shard) {
            return moves.stream().filter(m -> m.from().equals(shard)).map(HashRing.Move::range).toList();
        }

        List<TokenRange> arriving(String shard) {
            return moves.stream().filter(m -> m.to().equals(shard)).map(HashRing.Move::range).toList();
        }

        /** The shard a point moves to, or null if it stays. */
        String targetOf(long point) {
            for (HashRing.Move move : moves) {
                if (move.range().contains(point)) {
                    return move.to();
                }
            }
            return null;
        }
    }

    private Job load(UUID jobId) {
        return primary().query("SELECT * FROM reshard_job WHERE id = ?", (rs, n) -> {
            Map<String, Double> to = Contracts.MAPPER.readValue(rs.getString("to_weights"),
                    new TypeReference<TreeMap<String, Double>>() {
                    });
            Map<String, Double> from = Contracts.MAPPER.readValue(rs.getString("from_weights"),
                    new TypeReference<TreeMap<String, Double>>() {
                    });
            return new Job(Contracts.MAPPER.readValue(rs.getString("request"), Request.class),
                    rs.getTimestamp("started_at").toInstant(), jobId, Phase.valueOf(rs.getString("phase")),
                    rs.getBoolean("abort_requested"),
                    rs.getLong("from_version"), rs.getLong("to_version"), to, from,
                    Contracts.MAPPER.readValue(rs.getString("errors"), new TypeReference<List<String>>() {
                    }).size());
        }, jobId).getFirst();
    }

    private void plan(Job job) {
        if (job.request.kind() == Kind.ADD_SHARD) {
            // Its pool, migrations, relay and inbox: from here on every replica and restart registers it.
            shards.add(job.request.shardId(), job.request.jdbcUrl(), job.id);
        }
        for (String source : job.sources()) {
            Shard shard = shard(source);
            // One range row per transaction: holding one lock and waiting for none, a split cannot
            // deadlock with writers that share-lock two players' ranges.
            for (TokenRange piece : job.leaving(source)) {
                shard.inNewTransaction(() -> {
                    Ownership.split(shard.jdbc(), List.of(piece));
                    return null;
                });
            }
            shard.inTransaction(() -> shard.sql("INSERT INTO reshard_capture (job_id) VALUES (:job) ON CONFLICT DO NOTHING")
                    .param("job", job.id).update());
        }
        checkpoint.accept("capture-on");
        // Capture is on before the players are listed: a player who arrives later is caught up.
        long total = 0;
        for (String source : job.sources()) {
            List<UUID> players = jdbc(source).queryForList(PlayerRows.PLAYERS_SQL, UUID.class);
            List<Object[]> moving = new ArrayList<>();
            for (UUID player : players) {
                String target = job.targetOf(Shards.point(player));
                if (target != null) {
                    moving.add(new Object[] { job.id, player, source, target });
                }
            }
            primary().batchUpdate("""
                    INSERT INTO reshard_player (job_id, player_id, source, target) VALUES (?, ?, ?, ?)
                    ON CONFLICT DO NOTHING""", moving);
            total += moving.size();
        }
        primary().update("UPDATE reshard_job SET total_players = (SELECT count(*) FROM reshard_player WHERE job_id = ?),"
                + " phase = 'COPYING', updated_at = ? WHERE id = ?", job.id, now(), job.id);
        log.info("Resharding job {}: {} players move over {} ranges", job.id, total, job.moves.size());
    }

    private record Pending(UUID player, String source, String target) {
    }

    /** The next chunk of the job's players whose {@code step} ({@code copied} or {@code cleaned}) is still to do. */
    private List<Pending> notYet(Job job, String step) {
        return primary().query("SELECT player_id, source, target FROM reshard_player WHERE job_id = ? AND NOT " + step
                + " ORDER BY player_id LIMIT ?", (rs, n) -> new Pending(rs.getObject(1, UUID.class), rs.getString(2),
                rs.getString(3)), job.id, settings.chunkPlayers());
    }

    private void copy(Job job) {
        RateLimiter throttle = RateLimiter.create(settings.rowsPerSecond());
        while (!stopping) {
            List<Pending> chunk = notYet(job, "copied");
            if (chunk.isEmpty()) {
                copyProcessedMessages(job);
                phase(job.id, Phase.CATCHING_UP);
                return;
            }
            long rows = copyPlayers(chunk);
            primary().batchUpdate("UPDATE reshard_player SET copied = true WHERE job_id = ? AND player_id = ?",
                    chunk.stream().map(p -> new Object[] { job.id, p.player() }).toList());
            primary().update("UPDATE reshard_job SET moved_players = moved_players + ?, moved_rows = moved_rows + ?,"
                    + " updated_at = ? WHERE id = ?", chunk.size(), rows, now(), job.id);
            checkpoint.accept("copied-chunk");
            if (load(job.id).abortRequested) {
                return;
            }
            throttle.acquire((int) Math.max(1, Math.min(Integer.MAX_VALUE, rows)));
        }
    }

    /** Copies players (grouped by where they go), each group in one read on its source and one write on its target. */
    private long copyPlayers(List<Pending> players) {
        Map<List<String>, List<UUID>> groups = new LinkedHashMap<>();
        players.forEach(p -> groups.computeIfAbsent(List.of(p.source(), p.target()), k -> new ArrayList<>()).add(p.player()));
        long rows = 0;
        for (Map.Entry<List<String>, List<UUID>> group : groups.entrySet()) {
            Shard source = shard(group.getKey().get(0));
            Shard target = shard(group.getKey().get(1));
            List<PlayerRows.Rows> read = source.inSnapshot(() -> PlayerRows.read(template(source), group.getValue()));
            rows += target.inNewTransaction(() -> PlayerRows.write(template(target), group.getValue(), read));
        }
        return rows;
    }

    /**
     * The inbox's processed-message rows name no player, so all of them go to every target: an
     * event recorded as applied was applied to its aggregate, and wherever that aggregate's rows
     * go, a redelivery must find the record. Extra rows are harmless (no other aggregate's event
     * reaches that shard under that consumer) and age out with the inbox's cleanup.
     */
    private void copyProcessedMessages(Job job) {
        for (String source : job.sources()) {
            List<Object[]> rows = jdbc(source).query("SELECT consumer, event_id, processed_at FROM processed_message",
                    (rs, n) -> new Object[] { rs.getString(1), rs.getObject(2), rs.getTimestamp(3) });
            for (String target : job.targets()) {
                jdbc(target).batchUpdate("""
                        INSERT INTO processed_message (consumer, event_id, processed_at) VALUES (?, ?, ?)
                        ON CONFLICT DO NOTHING""", rows);
            }
        }
    }

    private void catchUp(Job job) {
        while (!stopping) {
            int recopied = 0;
            for (String source : job.sources()) {
                recopied += recopyDirty(job, source, settings.chunkPlayers() * 10);
            }
            long lag = job.sources().stream().mapToLong(s -> jdbc(s).queryForObject("SELECT count(*) FROM reshard_dirty",
                    Long.class)).sum();
            primary().update("UPDATE reshard_job SET lag = ?, updated_at = ? WHERE id = ?", lag, now(), job.id);
            if (recopied <= settings.fenceLagBound() && lag <= settings.fenceLagBound() * 4L) {
                phase(job.id, Phase.FENCED);
                return;
            }
            if (load(job.id).abortRequested) {
                return;
            }
        }
    }

    /** Takes up to {@code limit} markers off a source and re-copies the moving players among them. */
    private int recopyDirty(Job job, String source, int limit) {
        Shard shard = shard(source);
        List<String> keys = shard.inNewTransaction(() -> shard.sql("""
                DELETE FROM reshard_dirty WHERE id IN (SELECT id FROM reshard_dirty ORDER BY id LIMIT :limit)
                RETURNING key""").param("limit", limit).query(String.class).list().stream().distinct().toList());
        List<Pending> moving = movingPlayers(job, source, shard, keys);
        if (!moving.isEmpty()) {
            primary().batchUpdate("""
                    INSERT INTO reshard_player (job_id, player_id, source, target, copied) VALUES (?, ?, ?, ?, true)
                    ON CONFLICT (job_id, player_id) DO UPDATE SET copied = true""",
                    moving.stream().map(p -> new Object[] { job.id, p.player(), p.source(), p.target() }).toList());
            long rows = copyPlayers(moving);
            primary().update("UPDATE reshard_job SET total_players = (SELECT count(*) FROM reshard_player WHERE job_id = ?),"
                    + " moved_players = (SELECT count(*) FROM reshard_player WHERE job_id = ? AND copied),"
                    + " moved_rows = moved_rows + ?, updated_at = ? WHERE id = ?", job.id, job.id, rows, now(), job.id);
        }
        return moving.size();
    }

    /** The moving players a batch of markers names: player ids whose point moves, and the owners of sagas. */
    private List<Pending> movingPlayers(Job job, String source, Shard shard, List<String> keys) {
        Set<UUID> players = new LinkedHashSet<>();
        List<UUID> ids = new ArrayList<>();
        for (String key : keys) {
            try {
                ids.add(UUID.fromString(key));
            } catch (IllegalArgumentException notAnId) {
                // an aggregate that is no player nor saga: nothing of a player's
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        players.addAll(ids);
        players.addAll(template(shard).queryForList("SELECT player_id FROM saga WHERE id = ANY(?)", UUID.class,
                (Object) ids.toArray(UUID[]::new)));
        List<Pending> moving = new ArrayList<>();
        for (UUID player : players) {
            String target = job.targetOf(Shards.point(player));
            if (target != null) {
                moving.add(new Pending(player, source, target));
            }
        }
        return moving;
    }

    /**
     * The fence and the switch, as one two-phase commit over the sources and the targets (the
     * decision on shard 0, recovered by the economy's 2PC recovery after a crash): every moving
     * range row locked on its source, the last changes copied, ownership moved, the ring's
     * version raised on both sides.
     */
    private void fenceAndSwitch(Job job) {
        if (switched(job)) {
            log.info("Resharding job {}: the switch had committed", job.id);
            phase(job.id, Phase.SWITCHED);
            return;
        }
        checkpoint.accept("fence-began");
        Map<String, List<Pending>> finals = new HashMap<>();
        Map<String, List<PlayerRows.Rows>> finalRows = new HashMap<>();
        Map<String, List<UUID>> finalPlayers = new HashMap<>();
        Map<String, List<Object[]>> finalInbox = new HashMap<>();
        List<CrossShard.Part> parts = new ArrayList<>();
        for (String source : job.sources()) {
            Shard shard = shard(source);
            parts.add(new CrossShard.Part(shard, () -> {
                JdbcTemplate jdbc = template(shard);
                // The fence waits this long for writes in flight, not the ring's lock timeout: fenced writes wait behind it.
                jdbc.execute("SET LOCAL lock_timeout = '" + settings.fenceWait().toMillis() + "ms'");
                List<TokenRange> leaving = job.leaving(source);
                Long[] firsts = leaving.stream().map(TokenRange::first).toArray(Long[]::new);
                // Sagas first (a saga's handler takes its row, then the player's range), then the ranges.
                jdbc.queryForList("""
                        SELECT s.id FROM saga s JOIN (SELECT unnest(CAST(? AS uuid[])) AS player_id) p USING (player_id)
                        WHERE s.state NOT IN ('COMPLETED', 'FAILED', 'CANCELLED') FOR UPDATE OF s""", UUID.class,
                        (Object) movingOf(job, source));
                jdbc.queryForList("SELECT first_token FROM shard_owned_range WHERE first_token = ANY(?) FOR UPDATE",
                        Long.class, (Object) firsts);
                List<String> keys = jdbc.queryForList("DELETE FROM reshard_dirty RETURNING key", String.class).stream()
                        .distinct().toList();
                List<Pending> last = movingPlayers(job, source, shard, keys);
                finals.put(source, last);
                Map<String, List<UUID>> byTarget = new LinkedHashMap<>();
                last.forEach(p -> byTarget.computeIfAbsent(p.target(), k -> new ArrayList<>()).add(p.player()));
                // One read per table for all of them: the fence lasts as long as this copy.
                byTarget.forEach((target, ids) -> finalRows.put(source + "/" + target, PlayerRows.read(jdbc, ids)));
                finalPlayers.putAll(byTarget.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                        e -> source + "/" + e.getKey(), Map.Entry::getValue)));
                // Events applied here since the copy phase took the inbox: their records go too.
                finalInbox.put(source, jdbc.query("""
                        SELECT consumer, event_id, processed_at FROM processed_message
                        WHERE processed_at >= CAST(? AS timestamptz) - interval '5 minutes'""",
                        (rs, n) -> new Object[] { rs.getString(1), rs.getObject(2), rs.getTimestamp(3) },
                        Timestamp.from(job.startedAt)));
                // Sagas in flight leave with the switch, so a handler that waited on one finds it on its new shard.
                jdbc.update("""
                        DELETE FROM saga_step_log WHERE saga_id IN (SELECT id FROM saga WHERE player_id = ANY(?)
                                                    AND state NOT IN ('COMPLETED', 'FAILED', 'CANCELLED'))""",
                        (Object) movingOf(job, source));
                jdbc.update("DELETE FROM saga WHERE player_id = ANY(?) AND state NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')",
                        (Object) movingOf(job, source));
                Ownership.switchTo(shard.jdbc(), source, job.to, leaving, List.of());
                checkpoint.accept("fence-locked");
            }));
        }
        for (String target : job.targets()) {
            if (job.sources().contains(target)) {
                throw new IllegalStateException("A shard that both gives and takes ranges in one job is not supported");
            }
            Shard shard = shard(target);
            parts.add(new CrossShard.Part(shard, () -> {
                JdbcTemplate jdbc = template(shard);
                finalRows.forEach((key, rows) -> {
                    if (key.endsWith("/" + target)) {
                        PlayerRows.write(jdbc, finalPlayers.get(key), rows);
                    }
                });
                finalInbox.values().forEach(rows -> jdbc.batchUpdate("""
                        INSERT INTO processed_message (consumer, event_id, processed_at) VALUES (?, ?, ?)
                        ON CONFLICT DO NOTHING""", rows));
                Ownership.switchTo(shard.jdbc(), target, job.to, List.of(), job.arriving(target));
            }));
        }
        long began = System.nanoTime();
        try {
            crossShard.execute(parts);
        } catch (Halt halt) {
            throw halt;
        } catch (RuntimeException failed) {
            long millis = (System.nanoTime() - began) / 1_000_000;
            addError(job.id, "fence attempt gave up after " + millis + " ms: " + failed.getMessage());
            log.warn("Resharding job {}: fence gave up ({}), catching up again", job.id, failed.toString());
            if (job.fenceAttempts + 1 >= settings.fenceAttempts()) {
                rollBack(job, "the fence failed " + settings.fenceAttempts() + " times");
            } else {
                phase(job.id, Phase.CATCHING_UP);
            }
            return;
        }
        long millis = (System.nanoTime() - began) / 1_000_000;
        shards.reload();
        primary().update("UPDATE reshard_job SET phase = 'SWITCHED', fence_millis = fence_millis + ?, lag = 0,"
                + " updated_at = ? WHERE id = ?", millis, now(), job.id);
        log.info("Resharding job {}: switched to ring {} after a fence of {} ms ({} players in its last copy)", job.id,
                job.to.version(), millis, finals.values().stream().mapToInt(List::size).sum());
    }

    private UUID[] movingOf(Job job, String source) {
        return primary().queryForList("SELECT player_id FROM reshard_player WHERE job_id = ? AND source = ?", UUID.class,
                job.id, source).toArray(UUID[]::new);
    }

    /** Whether the job's targets record its ring: the switch committed (or recovery will finish it). */
    private boolean switched(Job job) {
        return job.targets().stream().allMatch(target -> Ownership.stored(shard(target).jdbc())
                .map(ring -> ring.version() >= job.to.version()).orElse(false));
    }

    private void verify(Job job) {
        List<String> differences = new ArrayList<>();
        List<Pending> players = primary().query("SELECT player_id, source, target FROM reshard_player WHERE job_id = ?",
                (rs, n) -> new Pending(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)), job.id);
        for (Pending p : players) {
            JdbcTemplate source = jdbc(p.source());
            JdbcTemplate target = jdbc(p.target());
            Long last = source.queryForObject("SELECT max(sequence) FROM ledger_event WHERE player_id = ?", Long.class,
                    p.player());
            if (last == null) {
                continue;
            }
            String a = source.queryForObject(PlayerRows.LEDGER_CHECKSUM, String.class, p.player(), last);
            String b = target.queryForObject(PlayerRows.LEDGER_CHECKSUM, String.class, p.player(), last);
            if (!a.equals(b)) {
                differences.add("player " + p.player() + ": ledger up to " + last + " differs");
                continue;
            }
            // Projections compare where the target has not moved on since the switch (read with its
            // ledger's end in one statement: a write landing between two reads is no difference).
            String pa = source.queryForObject(PlayerRows.PROJECTION_CHECKSUM, String.class, p.player(), last,
                    p.player(), p.player(), p.player());
            String pb = target.queryForObject(PlayerRows.PROJECTION_CHECKSUM, String.class, p.player(), last,
                    p.player(), p.player(), p.player());
            if (pa != null && pb != null && !pa.equals(pb)) {
                differences.add("player " + p.player() + ": projections differ");
            }
        }
        if (!differences.isEmpty()) {
            differences.stream().limit(20).forEach(d -> addError(job.id, d));
            finish(job.id, Phase.FAILED, differences.size() + " players differ between source and target; the source"
                    + " keeps its copies for repair");
            return;
        }
        phase(job.id, Phase.CLEANING);
    }

    private void clean(Job job) {
        RateLimiter throttle = RateLimiter.create(settings.rowsPerSecond());
        while (!stopping) {
            List<Pending> chunk = notYet(job, "cleaned");
            if (chunk.isEmpty()) {
                for (String source : job.sources()) {
                    Shard shard = shard(source);
                    shard.inTransaction(() -> {
                        shard.sql("DELETE FROM reshard_capture").update();
                        shard.sql("DELETE FROM reshard_dirty").update();
                    });
                }
                // The audit's checkpoints and per-shard flows describe the old placement: it replays in full next time.
                for (String involved : concat(job.sources(), job.targets())) {
                    Shard shard = shard(involved);
                    shard.inTransaction(() -> {
                        shard.sql("DELETE FROM ledger_audit_checkpoint").update();
                        shard.sql("DELETE FROM ledger_audit_flow").update();
                    });
                }
                finish(job.id, Phase.DONE, null);
                log.info("Resharding job {} done", job.id);
                return;
            }
            Map<String, List<UUID>> bySource = new LinkedHashMap<>();
            chunk.forEach(p -> bySource.computeIfAbsent(p.source(), k -> new ArrayList<>()).add(p.player()));
            long rows = 0;
            for (Map.Entry<String, List<UUID>> group : bySource.entrySet()) {
                Shard shard = shard(group.getKey());
                rows += shard.inNewTransaction(() -> PlayerRows.delete(template(shard), group.getValue()));
            }
            primary().batchUpdate("UPDATE reshard_player SET cleaned = true WHERE job_id = ? AND player_id = ?",
                    chunk.stream().map(p -> new Object[] { job.id, p.player() }).toList());
            primary().update("UPDATE reshard_job SET cleaned_players = cleaned_players + ?, updated_at = ? WHERE id = ?",
                    chunk.size(), now(), job.id);
            throttle.acquire((int) Math.max(1, Math.min(Integer.MAX_VALUE, rows)));
        }
    }

    private static Set<String> concat(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }

    /** Before the switch: the target's copies go, capture stops, the sources keep owning everything. */
    private void rollBack(Job job, String why) {
        List<Pending> players = primary().query("SELECT player_id, source, target FROM reshard_player WHERE job_id = ?",
                (rs, n) -> new Pending(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)), job.id);
        Map<String, List<UUID>> byTarget = new LinkedHashMap<>();
        players.forEach(p -> byTarget.computeIfAbsent(p.target(), k -> new ArrayList<>()).add(p.player()));
        byTarget.forEach((target, ids) -> {
            Shard shard = shard(target);
            for (int i = 0; i < ids.size(); i += settings.chunkPlayers()) {
                List<UUID> chunk = ids.subList(i, Math.min(ids.size(), i + settings.chunkPlayers()));
                shard.inNewTransaction(() -> PlayerRows.delete(template(shard), chunk));
            }
        });
        for (String source : job.sources()) {
            Shard shard = shard(source);
            shard.inTransaction(() -> {
                shard.sql("DELETE FROM reshard_capture").update();
                shard.sql("DELETE FROM reshard_dirty").update();
            });
        }
        finish(job.id, Phase.ABORTED, why);
        log.warn("Resharding job {} rolled back: {}", job.id, why);
    }

    // ---------------------------------------------------------------- small parts

    private void phase(UUID jobId, Phase phase) {
        primary().update("UPDATE reshard_job SET phase = ?, updated_at = ? WHERE id = ?", phase.name(), now(), jobId);
        log.info("Resharding job {}: {}", jobId, phase);
    }

    private void finish(UUID jobId, Phase phase, String error) {
        if (error != null) {
            addError(jobId, error);
        }
        primary().update("UPDATE reshard_job SET phase = ?, active = false, finished_at = ?, updated_at = ? WHERE id = ?",
                phase.name(), now(), now(), jobId);
    }

    private void addError(UUID jobId, String error) {
        primary().update("UPDATE reshard_job SET errors = errors || jsonb_build_array(CAST(? AS text)), updated_at = ?"
                + " WHERE id = ?", error, now(), jobId);
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private Shard shard(String id) {
        return shards.byId(id).orElseThrow(() -> new IllegalStateException("Shard " + id + " is not registered"));
    }

    private JdbcTemplate primary() {
        return template(shards.reference());
    }

    private JdbcTemplate jdbc(String shard) {
        return template(shard(shard));
    }

    private static JdbcTemplate template(Shard shard) {
        return new JdbcTemplate(shard.dataSource());
    }

    @Override
    public void destroy() throws Exception {
        stopping = true;
        runner.shutdownNow();
        runner.awaitTermination(10, TimeUnit.SECONDS);
    }
}
