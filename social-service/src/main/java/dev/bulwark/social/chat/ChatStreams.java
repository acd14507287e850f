package dev.bulwark.social.chat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.bulwark.social.chat.GuildChat.Message;
import dev.bulwark.social.guild.Guilds;

/**
 * The live streams open on this instance. Told only "guild G changed" (by
 * {@link ChatNotifications}), the streams of G read from the database what each has not sent yet
 * (by sequence number) and who is still a member. So replay after {@code Last-Event-ID}, live
 * delivery, a notification lost while the listening connection was down, and a member leaving
 * are one code path, and a stream never skips or repeats a message. The heartbeat runs the same
 * catch-up for every guild as a safety net.
 */
@Component
class ChatStreams {

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
    private final ChatProperties properties;

    ChatStreams(GuildChat chat, Guilds guilds, ChatProperties properties) {
        this.chat = chat;
        this.guilds = guilds;
        this.properties = properties;
    }

    /**
     * Opens a stream for a member. Without {@code lastEventId} it starts with the next message;
     * with one it first replays what came after that message.
     */
    SseEmitter open(UUID guildId, UUID player, Long lastEventId) {
        long latest = chat.latest(guildId);
        if (latest < 0) {
            throw ChatRefusal.guildNotFound();
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

    /** The guild changed: its streams here, if any, catch up in the background. */
    void changed(UUID guildId) {
        if (byGuild.containsKey(guildId)) {
            deliveries.execute(() -> catchUp(guildId));
        }
    }

    /** Every guild with a stream here catches up, e.g. after notifications may have been missed. */
    void changedAll() {
        byGuild.keySet().forEach(guild -> deliveries.execute(() -> catchUp(guild)));
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

    /** Ends every stream (the instance is stopping); clients reconnect elsewhere with Last-Event-ID. */
    void completeAll() {
        byGuild.values().forEach(streams -> List.copyOf(streams).forEach(s -> s.emitter.complete()));
        byGuild.clear();
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
}
