package dev.bulwark.testsupport.checker;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The economy's {@code idempotency_record} rows, read straight from its databases (every shard's
 * URL, when there are several): a key's row and its stored response commit in the same
 * transaction as the effect, so a row with a 2xx response means the operation was applied.
 */
public final class EconomyIdempotencyRecords implements AppliedKeys {

    private final String user;
    private final String password;
    private final List<String> jdbcUrls;

    public EconomyIdempotencyRecords(String user, String password, String... jdbcUrls) {
        this.user = user;
        this.password = password;
        this.jdbcUrls = List.of(jdbcUrls);
    }

    @Override
    public Map<String, String> storedResponses(UUID player, Collection<String> keys) throws Exception {
        Map<String, String> stored = new HashMap<>();
        for (String url : jdbcUrls) {
            try (Connection connection = DriverManager.getConnection(url, user, password);
                 PreparedStatement query = connection.prepareStatement("""
                         SELECT idempotency_key, response_body FROM idempotency_record
                         WHERE player_id = ? AND idempotency_key = ANY (?) AND response_status BETWEEN 200 AND 299""")) {
                query.setObject(1, player);
                query.setArray(2, connection.createArrayOf("text", keys.toArray()));
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        stored.put(rows.getString(1), rows.getString(2));
                    }
                }
            }
        }
        return stored;
    }
}
