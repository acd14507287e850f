package dev.bulwark.economy.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bulwark.testsupport.IntegrationTest;

/**
 * The operators' saga list filtered by state reads the state index, also with the generic plan
 * the JDBC driver's prepared statements end up with (an optional filter written as
 * {@code :state IS NULL OR state = :state} could not use it there).
 */
@IntegrationTest
class SagaListQueryTests {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void theStateFilterUsesTheStateIndexWithAGenericPlan() {
        String sql = SagaStore.LIST_BY_STATE.replace(":state", "$1").replace(":limit", "$2");
        List<String> plan = transactions.execute(status -> {
            jdbc.sql("SET LOCAL plan_cache_mode = force_generic_plan").update();
            jdbc.sql("SET LOCAL enable_seqscan = off").update();
            jdbc.sql("PREPARE sagas_by_state (text, int) AS " + sql).update();
            List<String> lines = jdbc.sql("EXPLAIN EXECUTE sagas_by_state('CANCELLING', 50)").query(String.class).list();
            jdbc.sql("DEALLOCATE sagas_by_state").update();
            return lines;
        });

        assertThat(String.join("\n", plan)).contains("saga_by_state").contains("Index Cond: (state = $1)");
    }
}
