package dev.bulwark.player.account;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;

/**
 * Fills {@code player.display_name_skeleton} for the players registered before it existed and
 * makes it unique. Two existing names that turn out to be look-alikes both stay (renaming
 * someone's account silently is worse): the later one's skeleton gets its player id appended,
 * so it blocks nobody, while a new registration of either look-alike is refused. A bean, so
 * Boot hands it to Flyway; the class name is Flyway's version (6).
 */
@Component
class V6__DisplayNameSkeletons extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        Set<String> seen = new HashSet<>();
        try (Statement select = connection.createStatement();
                ResultSet players = select.executeQuery(
                        "SELECT player_id, display_name FROM player ORDER BY created_at, player_id");
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE player SET display_name_skeleton = ? WHERE player_id = ?")) {
            while (players.next()) {
                Object playerId = players.getObject(1);
                String skeleton = DisplayNames.skeleton(players.getString(2));
                update.setString(1, seen.add(skeleton) ? skeleton : skeleton + "#" + playerId);
                update.setObject(2, playerId);
                update.addBatch();
            }
            update.executeBatch();
        }
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("ALTER TABLE player ALTER COLUMN display_name_skeleton SET NOT NULL");
            ddl.execute("CREATE UNIQUE INDEX player_display_name_skeleton ON player (display_name_skeleton)");
        }
    }
}
