package dev.bulwark.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;

/**
 * A database migrated before a platform migration existed (its service's V1… already applied)
 * still takes the new V0_x on the next start, with the services' Flyway settings.
 */
@IntegrationTest
class LatePlatformMigrationTests {

    @Autowired
    Flyway serviceFlyway;

    @Test
    void aNewPlatformMigrationRunsOnADatabaseAlreadyPastTheServicesOwnMigrations() {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        DriverManagerDataSource database = new DriverManagerDataSource(
                infrastructure.database("late_" + UUID.randomUUID().toString().replace("-", "")),
                infrastructure.username(), infrastructure.password());
        Flyway flyway = Flyway.configure().configuration(serviceFlyway.getConfiguration()).dataSource(database).load();
        flyway.migrate();
        JdbcClient jdbc = JdbcClient.create(database);
        // As if V0_5 had been merged after this database reached V1.
        jdbc.sql("DROP TABLE rate_limit_bucket").update();
        jdbc.sql("DELETE FROM flyway_schema_history WHERE version = '0.5'").update();

        flyway.migrate();

        assertThat(jdbc.sql("SELECT count(*) FROM rate_limit_bucket").query(Integer.class).single()).isZero();
    }
}
