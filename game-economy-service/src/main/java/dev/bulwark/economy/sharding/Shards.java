package dev.bulwark.economy.sharding;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Where a player's rows live. Every read and write of player data asks here first, with the
 * player id, so that a consistent-hash router can later answer with another database. Today
 * there is one shard.
 */
public interface Shards {

    JdbcClient forPlayer(UUID playerId);

    /** Reference data (the catalog) that every shard carries. */
    JdbcClient reference();

    /** Every shard, for the few look-ups by a global id that carries no player id. */
    List<JdbcClient> all();
}
