package dev.bulwark.social.notification;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.bulwark.social.notification.Notifications.Notification;
import dev.bulwark.social.presence.Presence;

/**
 * The players' live notification streams open on this instance, and its ear on
 * {@code LISTEN player_notification} (one thread on its own connection, reconnecting after a
 * failure). Told only "player P has news", P's streams read from the database what they have not
 * sent yet (by the inbox's seq), so resuming after {@code Last-Event-ID}, live delivery and a
 * signal lost while not listening are one code path; the heartbeat catches every stream up as a
 * safety net and tells {@link Presence} who is connected. Stopping ends the streams without
 * marking anyone offline: their clients reconnect within presence's grace.
 */
@Component
class NotificationStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NotificationStreams.class);
    private static final int BATCH = 100;

    private static final class Stream {
        final UUID playerId;
        final SseEmitter emitter;
        volatile long lastSent;

        Stream(UUID playerId, SseEmitter emitter, long lastSent) {
            this.playerId = playerId;
            this.emitter = emitter;
            this.lastSent = lastSent;
        }
    }

    private final Map<UUID, Set<Stream>> byPlayer = new ConcurrentHashMap<>();
    private final Map<UUID, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor();
    private final Notifications notifications;
    private final Presence presence;
    private final NotificationProperties properties;
    private final DataSource dataSource;
    private volatile boolean running;
    private Thread listener;

    NotificationStreams(Notifications notifications, Presence presence, NotificationProperties properties,
            DataSource dataSource) {
        this.notifications = notifications;
        this.presence = presence;
        this.properties = properties;
        this.dataSource = dataSource;
    }

    /** Opens the player's stream: what came after {@code lastEventId} first, else only what comes next. */
    SseEmitter open(UUID player, Long lastEventId) {
        long latest = notifications.latest(player);
        SseEmitter emitter = new SseEmitter(properties.streamTimeout().toMillis());
        Stream stream = new Stream(player, emitter, lastEventId == null ? latest : Math.clamp(lastEventId, 0, latest));
        byPlayer.computeIfAbsent(player, p -> ConcurrentHashMap.newKeySet()).add(stream);
        emitter.onCompletion(() -> forget(stream));
        emitter.onTimeout(() -> forget(stream));
        emitter.onError(e -> forget(stream));
        presence.seen(List.of(player));
        try {
            emitter.send(SseEmitter.event().comment("open"));
        } catch (IOException e) {
            forget(stream);
        }
        deliveries.execute(() -> catchUp(player));
        return emitter;
    }

    private void catchUp(UUID player) {
        ReentrantLock lock = locks.computeIfAbsent(player, p -> new ReentrantLock());
        lock.lock();
        try {
            Set<Stream> streams = byPlayer.get(player);
            if (streams == null || streams.isEmpty()) {
                return;
            }
            long from = streams.stream().mapToLong(s -> s.lastSent).min().orElse(Long.MAX_VALUE);
            List<Notification> batch;
            do {
                batch = notifications.after(player, from, BATCH);
                for (Notification notification : batch) {
                    for (Stream stream : List.copyOf(streams)) {
                        if (notification.seq() > stream.lastSent) {
                            send(stream, notification);
                        }
                    }
                    from = notification.seq();
                }
            } while (batch.size() == BATCH);
        } catch (RuntimeException e) {
            log.warn("Catching up the notification streams of {} failed; the heartbeat retries", player, e);
        } finally {
            lock.unlock();
        }
    }

    @Scheduled(fixedDelayString = "${bulwark.social.notifications.heartbeat}")
    void heartbeat() {
        for (Map.Entry<UUID, Set<Stream>> player : byPlayer.entrySet()) {
            for (Stream stream : List.copyOf(player.getValue())) {
                try {
                    stream.emitter.send(SseEmitter.event().comment("keep-alive"));
                } catch (IOException | IllegalStateException e) {
                    forget(stream);
                }
            }
            deliveries.execute(() -> catchUp(player.getKey()));
        }
        try {
            presence.seen(Set.copyOf(byPlayer.keySet()));
        } catch (RuntimeException e) {
            log.warn("Renewing the presence of connected players failed; the next heartbeat retries", e);
        }
    }

    private void send(Stream stream, Notification notification) {
        try {
            stream.emitter.send(SseEmitter.event().id(Long.toString(notification.seq())).name("notification")
                    .data(notification, MediaType.APPLICATION_JSON));
            stream.lastSent = notification.seq();
        } catch (IOException | IllegalStateException e) {
            forget(stream);
        }
    }

    private void forget(Stream stream) {
        Set<Stream> streams = byPlayer.get(stream.playerId);
        if (streams == null || !streams.remove(stream)) {
            return;
        }
        if (streams.isEmpty() && running) {
            byPlayer.remove(stream.playerId, streams);
            try {
                presence.gone(stream.playerId);
            } catch (RuntimeException e) {
                log.debug("Marking {} offline failed; the grace ends it", stream.playerId, e);
            }
        }
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + Notifications.CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                byPlayer.keySet().forEach(player -> deliveries.execute(() -> catchUp(player)));
                while (running) {
                    PGNotification[] signals = pg.getNotifications(500);
                    if (signals == null) {
                        continue;
                    }
                    for (PGNotification signal : signals) {
                        UUID player = UUID.fromString(signal.getParameter());
                        if (byPlayer.containsKey(player)) {
                            deliveries.execute(() -> catchUp(player));
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("Notification listener lost its connection; reconnecting", e);
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    @Override
    public void start() {
        running = true;
        listener = Thread.ofPlatform().daemon().name("notification-listener").start(this::listen);
    }

    @Override
    public void stop() {
        running = false; // first, so that ending the streams marks nobody offline
        byPlayer.values().forEach(streams -> List.copyOf(streams).forEach(s -> s.emitter.complete()));
        byPlayer.clear();
        if (listener != null) {
            try {
                listener.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
