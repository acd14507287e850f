package dev.bulwark.platform.messaging;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;

/**
 * Retires Spring Modulith's event publication registry: publications it had not completed
 * (Kafka was down, or a crash cut the send off) move to {@code outbox_message}, in publication
 * order, so the relay sends them; then the registry's table goes. A Java migration because a
 * message's topic comes from its type's registration, which SQL cannot see. A publication that
 * does not decode as an envelope fails the migration rather than being dropped: it is money or
 * membership that some consumer has not heard of yet.
 */
public class V0_21__Move_undelivered_publications_to_the_outbox extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (Statement statement = connection.createStatement();
             ResultSet exists = statement.executeQuery("SELECT to_regclass('event_publication') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return;
            }
        }
        try (Statement statement = connection.createStatement();
             ResultSet undelivered = statement.executeQuery("""
                     SELECT serialized_event, publication_date FROM event_publication
                     WHERE completion_date IS NULL ORDER BY publication_date, id""");
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO outbox_message (topic, message_key, envelope, created_at) VALUES (?, ?, ?, ?)""")) {
            while (undelivered.next()) {
                Envelope envelope = Contracts.fromBytes(undelivered.getString(1).getBytes(StandardCharsets.UTF_8));
                insert.setString(1, envelope.topic().name());
                insert.setString(2, envelope.aggregateId());
                insert.setString(3, new String(Contracts.toBytes(envelope), StandardCharsets.UTF_8));
                insert.setTimestamp(4, undelivered.getTimestamp(2));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE event_publication");
        }
    }
}
