package dev.bulwark.platform.messaging;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

import dev.bulwark.events.Contracts;

/**
 * Sends the committed rows of {@code outbox_message} to Kafka, on a thread of its own, and
 * deletes them once Kafka has acknowledged them. Requests only insert rows: none waits on Kafka
 * or holds a connection for it, whether Kafka is slow, down or fine.
 *
 * <ul>
 * <li><b>Committed rows only.</b> It reads with ordinary statements, which see committed rows
 * and nothing else: a rolled-back message never leaves, and a prepared transaction's rows stay
 * invisible until {@code COMMIT PREPARED}, so nothing is published before the commit.</li>
 * <li><b>In order per aggregate.</b> Rows go out in position order, keyed by aggregate (one
 * partition each) through one idempotent producer. A writer takes the aggregate's lock (its
 * wallet row, its {@code outbox_sequence} row) before its row gets a position, so an aggregate's
 * rows have positions in sequence order and a later one is never visible without the earlier
 * ones. Only a failed send that is retried can arrive after its successor: consumers keep their
 * per-aggregate sequence checks ({@link Inbox}).</li>
 * <li><b>At least once.</b> A row is deleted after its acknowledgement, in the statement that
 * reads the next batch; a crash in between sends those rows again (consumers de-duplicate by
 * event id). Failed sends stay and are retried, with a pause, until Kafka takes them.</li>
 * <li><b>Once per database.</b> Only the holder of the database's lease (a row in
 * {@code outbox_relay_lease}, renewed while it runs) relays; another instance takes over when
 * the lease expires, or at once when the holder stops.</li>
 * </ul>
 *
 * <p>A batch waits {@code linger} after a wake-up so that concurrent commits share one read: each
 * cycle is one database transaction (delete what was acknowledged, read what is next), whatever
 * the number of messages in it.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final String LEASE = "outbox";

    private record Row(long position, String topic, String key, String envelope) {
    }

    private final JdbcClient jdbc;
    private final KafkaTemplate<Object, Object> kafka;
    private final KafkaAdmin admin;
    private final OutboxProperties properties;
    private final String holder;
    private final Semaphore wake = new Semaphore(0);

    private volatile boolean running;
    private Thread thread;
    private boolean topicsCreated;
    /** System.nanoTime of the last attempt to take or renew the lease; null before the first. */
    private Long leaseCheckedAt;
    private boolean leaseHeld;
    /** Acknowledged by Kafka, deleted with the next read. */
    private Long[] acknowledged = new Long[0];

    public OutboxRelay(JdbcClient jdbc, KafkaTemplate<Object, Object> kafka, KafkaAdmin admin,
            OutboxProperties properties) {
        this.jdbc = jdbc;
        this.kafka = kafka;
        this.admin = admin;
        this.properties = properties;
        this.holder = hostName() + "/" + UUID.randomUUID();
    }

    /** A transaction that published committed: relay soon (after the linger). */
    public void wake() {
        wake.release();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("outbox-relay").daemon().start(this::run);
    }

    @Override
    public synchronized void stop() {
        running = false;
        wake.release();
        if (thread != null) {
            try {
                thread.join(properties.sendTimeout().plusSeconds(2).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        try {
            deleteAcknowledged();
            if (leaseHeld) {
                jdbc.sql("UPDATE outbox_relay_lease SET expires_at = now() WHERE name = :name AND holder = :holder")
                        .param("name", LEASE).param("holder", holder).update();
                leaseHeld = false;
            }
            leaseCheckedAt = null;
        } catch (RuntimeException e) {
            log.debug("Outbox relay could not tidy up on stop: {}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Stops after the listener containers and the web server (graceful shutdown at
     * DEFAULT_PHASE - 1024, the server at - 2048; higher phases stop first), so what the last
     * requests and messages committed is still sent; the pool closes after every phase.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private void run() {
        while (running) {
            Duration pause;
            try {
                pause = relayBatch();
            } catch (RuntimeException e) {
                log.warn("Outbox relay cycle failed: {}", e.toString());
                pause = properties.retryPause();
            }
            try {
                if (pause.isZero()) {
                    continue;
                }
                if (wake.tryAcquire(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    // Let concurrent commits land before reading, so they share the read.
                    Thread.sleep(properties.linger().toMillis());
                }
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One cycle; says how long to wait before the next (zero: a full batch, go on at once). */
    Duration relayBatch() {
        if (!holdsLease()) {
            deleteAcknowledged();
            return properties.leaseTtl().dividedBy(3);
        }
        List<Row> rows = jdbc.sql("""
                WITH relayed AS (DELETE FROM outbox_message WHERE position = ANY(:acknowledged))
                SELECT position, topic, message_key, envelope FROM outbox_message
                WHERE position <> ALL(:acknowledged) ORDER BY position LIMIT :limit""")
                .param("acknowledged", acknowledged)
                .param("limit", properties.batchSize())
                .query((rs, n) -> new Row(rs.getLong("position"), rs.getString("topic"), rs.getString("message_key"),
                        rs.getString("envelope")))
                .list();
        acknowledged = new Long[0];
        if (rows.isEmpty()) {
            return properties.pollInterval();
        }
        ensureTopics();
        List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
        for (Row row : rows) {
            CompletableFuture<?> send = send(row);
            sends.add(send);
            if (send.isCompletedExceptionally()) {
                // Kafka unreachable: each further send would block max.block.ms for metadata too.
                log.warn("Outbox relay: Kafka unreachable, {} messages kept for the next attempt", rows.size());
                break;
            }
        }
        List<Long> sent = new ArrayList<>(rows.size());
        int failed = rows.size() - sends.size();
        long deadline = System.nanoTime() + properties.sendTimeout().toNanos();
        for (int i = 0; i < sends.size(); i++) {
            try {
                sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                sent.add(rows.get(i).position());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                if (failed++ == 0) {
                    log.warn("Outbox relay: Kafka did not take {} (kept, retried): {}", rows.get(i).topic(), e.toString());
                }
            }
        }
        acknowledged = sent.toArray(Long[]::new);
        if (failed > 0) {
            deleteAcknowledged();
            return properties.retryPause();
        }
        return rows.size() == properties.batchSize() ? Duration.ZERO : properties.pollInterval();
    }

    private CompletableFuture<?> send(Row row) {
        try {
            byte[] value = row.envelope().getBytes(StandardCharsets.UTF_8);
            ProducerRecord<Object, Object> record = new ProducerRecord<>(row.topic(), row.key(), value);
            // The envelope's own trace context as the record's W3C headers: the listener's observation
            // on the other side continues the publisher's trace, however late the send.
            Contracts.fromBytes(value).trace().forEach((field, context) -> record.headers()
                    .add(new RecordHeader(field, context.getBytes(StandardCharsets.UTF_8))));
            return kafka.send(record);
        } catch (RuntimeException e) {
            // Kafka unreachable: the producer gave up waiting for metadata (max.block.ms).
            return CompletableFuture.failedFuture(e);
        }
    }

    private void deleteAcknowledged() {
        if (acknowledged.length > 0) {
            jdbc.sql("DELETE FROM outbox_message WHERE position = ANY(:acknowledged)")
                    .param("acknowledged", acknowledged).update();
            acknowledged = new Long[0];
        }
    }

    /**
     * Takes or renews the lease once a third of its time has passed since the last attempt, so a
     * holder stops relaying (a third of the lease) before anyone else may take over.
     */
    private boolean holdsLease() {
        long now = System.nanoTime();
        if (leaseCheckedAt != null && now - leaseCheckedAt < properties.leaseTtl().toNanos() / 3) {
            return leaseHeld;
        }
        boolean held = jdbc.sql("""
                INSERT INTO outbox_relay_lease (name, holder, expires_at)
                VALUES (:name, :holder, now() + make_interval(secs => :ttl))
                ON CONFLICT (name) DO UPDATE SET holder = :holder, expires_at = now() + make_interval(secs => :ttl)
                WHERE outbox_relay_lease.holder = :holder OR outbox_relay_lease.expires_at < now()
                RETURNING holder""")
                .param("name", LEASE).param("holder", holder).param("ttl", properties.leaseTtl().toMillis() / 1000.0)
                .query(String.class).optional().isPresent();
        if (held != leaseHeld) {
            log.info("Outbox relay {} the lease as {}", held ? "holds" : "does not hold", holder);
        }
        leaseHeld = held;
        leaseCheckedAt = now;
        return held;
    }

    /**
     * Topics are created at start-up; when Kafka was unreachable then, they are created here
     * before the first send, so a broker that appears later gets our topics with their partition
     * counts instead of broker defaults.
     */
    private void ensureTopics() {
        if (!topicsCreated) {
            topicsCreated = admin.initialize();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }
}
