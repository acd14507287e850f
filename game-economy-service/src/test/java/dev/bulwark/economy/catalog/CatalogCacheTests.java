package dev.bulwark.economy.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.testsupport.IntegrationTest;

/** The catalog is read once and forgotten when its tables change, whoever changes them. */
@IntegrationTest
class CatalogCacheTests {

    @Autowired
    Catalog catalog;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theCatalogIsReadOnceAndReadAgainAfterAChangeCommits() {
        await().atMost(Duration.ofSeconds(10)).until(() -> catalog.items() == catalog.items());
        assertThat(catalog.offers()).as("served from the copy").isSameAs(catalog.offers());

        jdbc.sql("UPDATE catalog_item SET name = 'Greater Healing Potion' WHERE item_id = 'potion'").update();
        try {
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> catalog.item("potion").orElseThrow().name().equals("Greater Healing Potion"));
        } finally {
            jdbc.sql("UPDATE catalog_item SET name = 'Healing Potion' WHERE item_id = 'potion'").update();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> catalog.item("potion").orElseThrow().name().equals("Healing Potion"));
    }
}
