package dev.bulwark.economy.sharding;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The default layout: every player on the service's one database. */
@Component
class SingleShard implements Shards {

    private final JdbcClient jdbc;

    SingleShard(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public JdbcClient forPlayer(UUID playerId) {
        return jdbc;
    }

    @Override
    public JdbcClient reference() {
        return jdbc;
    }

    @Override
    public List<JdbcClient> all() {
        return List.of(jdbc);
    }
}
