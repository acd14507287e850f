package dev.bulwark.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

class StuckSagasTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void cancellingAndOverdueWaitingSagasComeFirstAndTheRestKeepTheServicesOrder() {
        var sagas = JSON.readTree("""
                [{"sagaId": "a", "state": "COMPLETED", "deadline": null},
                 {"sagaId": "b", "state": "WAITING", "deadline": "2026-12-03T12:00:05Z"},
                 {"sagaId": "c", "state": "WAITING", "deadline": "2026-12-03T11:59:00Z"},
                 {"sagaId": "d", "state": "FAILED", "deadline": "2026-12-03T11:00:00Z"},
                 {"sagaId": "e", "state": "CANCELLING", "deadline": "2026-12-03T12:00:02Z"}]""");

        var rows = SagaPages.rows(sagas, NOW);

        assertThat(rows).extracting(row -> row.saga().get("sagaId").asString() + (row.stuck() ? "!" : ""))
                .containsExactly("c!", "e!", "a", "b", "d");
    }
}
