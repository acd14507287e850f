package dev.bulwark.economy.sharding;

import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Everything a player owns on a shard, table by table, and how a resharding job copies and
 * deletes it for a set of players. Rows are found by the player's id, by the player's sagas'
 * ids (saga steps) or by either as a message aggregate (outgoing sequences, consumer cursors,
 * parked messages). Not here, on purpose: the inbox's processed-message rows (they name no
 * player; {@link ReshardJobs} copies them all, see docs/decisions.md), the outbox (each shard's
 * relay delivers what it holds), the write limiter's buckets and the 2PC decisions (shard 0's,
 * for every player), and the audit's checkpoints and flows (reset after a move, the audit then
 * replays in full).
 */
final class PlayerRows {

    private PlayerRows() {
    }

    private enum Key {
        PLAYER("player_id = ANY(?)"),
        SAGA("saga_id IN (SELECT id FROM saga WHERE player_id = ANY(?))"),
        AGGREGATE("aggregate_id = ANY(?)");

        final String where;

        Key(String where) {
            this.where = where;
        }
    }

    private record Table(String name, Key key, String skipColumn) {
    }

    /** Parents before children: inserted in this order, deleted in the reverse. */
    private static final List<Table> TABLES = List.of(
            new Table("wallet", Key.PLAYER, null),
            new Table("ledger_event", Key.PLAYER, null),
            new Table("ledger_snapshot", Key.PLAYER, null),
            new Table("hold", Key.PLAYER, null),
            new Table("inventory_item", Key.PLAYER, null),
            new Table("purchase", Key.PLAYER, null),
            new Table("idempotency_record", Key.PLAYER, null),
            new Table("saga", Key.PLAYER, null),
            new Table("saga_step_log", Key.SAGA, null),
            new Table("authority_fence", Key.PLAYER, null),
            // its id is the target's own sequence's: the rows are the player's, the numbers are not
            new Table("admin_audit_log", Key.PLAYER, "id"),
            new Table("trader_standing", Key.PLAYER, null),
            new Table("outbox_sequence", Key.AGGREGATE, null),
            new Table("consumer_cursor", Key.AGGREGATE, null),
            new Table("parked_message", Key.AGGREGATE, null));

    /** One table's rows of some players, as read from the source. */
    record Rows(String table, List<String> columns, List<Object[]> values) {
    }

    /** Reads the players' rows on {@code source} (inside a transaction of it, for a consistent copy). */
    static List<Rows> read(JdbcTemplate source, Collection<UUID> players) {
        UUID[] ids = players.toArray(UUID[]::new);
        String[] aggregates = aggregates(source, ids);
        List<Rows> all = new ArrayList<>();
        for (Table table : TABLES) {
            Object param = table.key() == Key.AGGREGATE ? aggregates : ids;
            all.add(source.query("SELECT * FROM " + table.name() + " WHERE " + table.key().where, rs -> {
                ResultSetMetaData meta = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                List<Integer> indexes = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    if (!meta.getColumnName(i).equals(table.skipColumn())) {
                        columns.add(meta.getColumnName(i));
                        indexes.add(i);
                    }
                }
                List<Object[]> values = new ArrayList<>();
                while (rs.next()) {
                    Object[] row = new Object[indexes.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = rs.getObject(indexes.get(i));
                    }
                    values.add(row);
                }
                return new Rows(table.name(), columns, values);
            }, param));
        }
        return all;
    }

    /** The ids messages about these players carry as their aggregate: the players' and their sagas'. */
    private static String[] aggregates(JdbcTemplate jdbc, UUID[] players) {
        List<String> keys = new ArrayList<>();
        for (UUID player : players) {
            keys.add(player.toString());
        }
        keys.addAll(jdbc.queryForList("SELECT id::text FROM saga WHERE player_id = ANY(?)", String.class, (Object) players));
        return keys.toArray(String[]::new);
    }

    /** Replaces whatever the target holds of these players with {@code rows}; the number of rows written. */
    static long write(JdbcTemplate target, Collection<UUID> players, List<Rows> rows) {
        delete(target, players);
        long written = 0;
        for (Rows table : rows) {
            if (table.values().isEmpty()) {
                continue;
            }
            String sql = "INSERT INTO " + table.table() + " (" + String.join(", ", table.columns()) + ") VALUES ("
                    + String.join(", ", java.util.Collections.nCopies(table.columns().size(), "?")) + ")";
            target.batchUpdate(sql, table.values());
            written += table.values().size();
        }
        return written;
    }

    /** Deletes every row of these players (children first); the number of rows deleted. */
    static long delete(JdbcTemplate jdbc, Collection<UUID> players) {
        UUID[] ids = players.toArray(UUID[]::new);
        String[] aggregates = aggregates(jdbc, ids);
        long deleted = 0;
        for (int i = TABLES.size() - 1; i >= 0; i--) {
            Table table = TABLES.get(i);
            Object param = table.key() == Key.AGGREGATE ? aggregates : ids; // one array parameter, not varargs
            deleted += jdbc.update("DELETE FROM " + table.name() + " WHERE " + table.key().where, param);
        }
        return deleted;
    }

    /** The players a shard holds rows of: every table that names a player, so none is left behind. */
    static final String PLAYERS_SQL = """
            SELECT player_id FROM wallet UNION SELECT player_id FROM idempotency_record
            UNION SELECT player_id FROM saga UNION SELECT player_id FROM purchase
            UNION SELECT player_id FROM authority_fence UNION SELECT player_id FROM ledger_event""";

    /**
     * A checksum of what a player's ledger says up to {@code sequence} and of its projections'
     * rows when the ledger's end is there: equal on both sides means the copy is the source's.
     */
    static final String LEDGER_CHECKSUM = """
            SELECT coalesce(md5(string_agg(sequence || ':' || event_id || ':' || type || ':' || payload::text, '|'
                                           ORDER BY sequence)), '') FROM ledger_event
            WHERE player_id = ? AND sequence <= ?""";

    /** Parameters: the player, the sequence, the player three times. Null when the player's ledger no longer ends at
     * that sequence: nothing to compare. */
    static final String PROJECTION_CHECKSUM = """
            SELECT CASE WHEN (SELECT max(sequence) FROM ledger_event WHERE player_id = ?) = ? THEN md5(
                       coalesce((SELECT w::text FROM wallet w WHERE player_id = ?), '') || '|' ||
                       coalesce((SELECT string_agg(i::text, ',' ORDER BY item_id) FROM inventory_item i WHERE player_id = ?), '') || '|' ||
                       coalesce((SELECT string_agg(h::text, ',' ORDER BY hold_id) FROM hold h WHERE player_id = ?), '')) END""";
}
