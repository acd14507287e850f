package dev.bulwark.social.chat;

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

import dev.bulwark.platform.web.ApiException;
import dev.bulwark.social.chat.GuildChat.Message;
import dev.bulwark.social.guild.Guilds;

/**
 * The live streams open on this instance, and the instance's ear on {@code LISTEN guild_chat}.
 * A notification says only "guild G changed"; the streams of G then read from the database what
 * each has not sent yet (by sequence number) and who is still a member. So replay after
 * {@code Last-Event-ID}, live delivery, a notification lost while the listening connection was
 * down, and a member leaving are one code path, and a stream never skips or repeats a message.
 * The heartbeat runs the same catch-up for every guild as a safety net.
 */
@Component
class ChatStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChatStreams.class);
    private static final int BATCH = 200;

    private static final class Stream {
        final UUID guildId;
        final UUID playerId;
        final SseEmitter emitter;
        long lastSent;

        Stream(UUID guildId, UUID playerId, SseEmitter emitter, long lastSent) {
            this.guildId = guildId;
            this.playerId = playerId;
            this.emitter = emitter;
            this.lastSent = lastSent;
        }
    }

    private final Map<UUID, Set<Stream>> byGuild = new ConcurrentHashMap<>();
    private final Map<UUID, ReentrantLock> guildLocks = new ConcurrentHashMap<>();
    private final ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor();
    private final GuildChat chat;
    private final Guilds guilds;
    private final DataSource dataSource;
    private final ChatProperties properties;
    private volatile boolean running;
    private Thread listener;

    ChatStreams(GuildChat chat, Guilds guilds, DataSource dataSource, ChatProperties properties) {
        this.chat = chat;
        this.guilds = guilds;
        this.dataSource = dataSource;
        this.properties = properties;
    }

    /**
     * Opens a stream for a member. Without {@code lastEventId} it starts with the next message;
     * with one it first replays what came after that message.
     */
    SseEmitter open(UUID guildId, UUID player, Long lastEventId) {
        long latest = chat.latest(guildId);
        if (latest < 0) {
            throw ApiException.notFound("Guild");
        }
        chat.requireMember(guildId, player);
        SseEmitter emitter = new SseEmitter(properties.streamTimeout().toMillis());
        // an id beyond the latest message (another guild's, or made up) resumes from the latest
        long resumeAfter = lastEventId == null ? latest : Math.clamp(lastEventId, 0, latest);
        Stream stream = new Stream(guildId, player, emitter, resumeAfter);
        byGuild.computeIfAbsent(guildId, g -> ConcurrentHashMap.newKeySet()).add(stream);
        emitter.onCompletion(() -> forget(stream));
        emitter.onTimeout(() -> forget(stream));
        emitter.onError(e -> forget(stream));
        try {
            emitter.send(SseEmitter.event().comment("open"));
        } catch (IOException e) {
            forget(stream);
        }
        deliveries.execute(() -> catchUp(guildId));
        return emitter;
    }

    /** Sends each stream of the guild what it is missing, and closes those of former members. */
    void catchUp(UUID guildId) {
        ReentrantLock lock = guildLocks.computeIfAbsent(guildId, g -> new ReentrantLock());
        lock.lock();
        try {
            Set<Stream> streams = byGuild.get(guildId);
            if (streams == null || streams.isEmpty()) {
                return;
            }
            Set<UUID> members = guilds.memberIds(guildId);
            for (Stream stream : List.copyOf(streams)) {
                if (!members.contains(stream.playerId)) {
                    close(stream);
                }
            }
            long from = streams.stream().mapToLong(s -> s.lastSent).min().orElse(Long.MAX_VALUE);
            List<Message> batch;
            do {
                batch = chat.after(guildId, from, BATCH);
                for (Message message : batch) {
                    for (Stream stream : List.copyOf(streams)) {
                        if (message.id() > stream.lastSent) {
                            send(stream, message);
                        }
                    }
                    from = message.id();
                }
            } while (batch.size() == BATCH);
        } catch (RuntimeException e) {
            log.warn("Catching up the streams of guild {} failed; the heartbeat retries", guildId, e);
        } finally {
            lock.unlock();
        }
    }

    @Scheduled(fixedDelayString = "${bulwark.social.chat.heartbeat}")
    void heartbeat() {
        for (Map.Entry<UUID, Set<Stream>> guild : byGuild.entrySet()) {
            for (Stream stream : List.copyOf(guild.getValue())) {
                try {
                    stream.emitter.send(SseEmitter.event().comment("keep-alive"));
                } catch (IOException | IllegalStateException e) {
                    forget(stream);
                }
            }
            deliveries.execute(() -> catchUp(guild.getKey()));
        }
    }

    private void send(Stream stream, Message message) {
        try {
            stream.emitter.send(SseEmitter.event().id(Long.toString(message.id())).name("message")
                    .data(message, MediaType.APPLICATION_JSON));
            stream.lastSent = message.id();
        } catch (IOException | IllegalStateException e) {
            forget(stream);
        }
    }

    private void close(Stream stream) {
        forget(stream);
        try {
            stream.emitter.send(SseEmitter.event().name("closed").data("no longer a member of the guild"));
        } catch (IOException | IllegalStateException e) {
            log.debug("Stream of {} already gone", stream.playerId);
        }
        stream.emitter.complete();
    }

    private void forget(Stream stream) {
        Set<Stream> streams = byGuild.get(stream.guildId);
        if (streams != null) {
            streams.remove(stream);
        }
    }

    /** Listens on its own connection, outside the pool's transactions, and reconnects after a failure. */
    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + GuildChat.CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                byGuild.keySet().forEach(guild -> deliveries.execute(() -> catchUp(guild)));
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        UUID guild = UUID.fromString(notification.getParameter());
                        if (byGuild.containsKey(guild)) {
                            deliveries.execute(() -> catchUp(guild));
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("Guild chat listener lost its connection; reconnecting", e);
                    sleepQuietly(1_000);
                }
            }
        }
    }

    @Override
    public void start() {
        running = true;
        listener = Thread.ofPlatform().daemon().name("guild-chat-listener").start(this::listen);
    }

    @Override
    public void stop() {
        running = false;
        byGuild.values().forEach(streams -> List.copyOf(streams).forEach(s -> s.emitter.complete()));
        byGuild.clear();
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

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
