package dev.bulwark.social.chat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.bulwark.platform.shard.ShardUnit;
import dev.bulwark.social.shard.SocialShards;

/**
 * This instance's ear on {@code LISTEN guild_chat} on every shard (a guild's posts notify on the
 * guild's shard): one thread a shard on its own connection, outside
 * the pool's transactions, that passes each "guild G changed" to {@link ChatStreams} and
 * reconnects after a failure. On every (re)connect all open streams catch up, since
 * notifications sent while it was not listening are lost. Stopping it ends the open streams.
 */
@Component
class ChatNotifications implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChatNotifications.class);

    private final ChatStreams streams;
    private final SocialShards shards;
    private final List<Thread> listeners = new ArrayList<>();
    private volatile boolean running;

    ChatNotifications(ChatStreams streams, SocialShards shards) {
        this.streams = streams;
        this.shards = shards;
    }

    private void listen(DataSource dataSource) {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + GuildChat.CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                streams.changedAll();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        streams.changed(UUID.fromString(notification.getParameter()));
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
        for (ShardUnit shard : shards.all()) {
            listeners.add(Thread.ofPlatform().daemon().name("guild-chat-listener-" + shard.id())
                    .start(() -> listen(shard.dataSource())));
        }
    }

    @Override
    public void stop() {
        running = false;
        streams.completeAll();
        for (Thread listener : listeners) {
            try {
                listener.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        listeners.clear();
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
