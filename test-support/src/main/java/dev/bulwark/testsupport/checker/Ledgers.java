package dev.bulwark.testsupport.checker;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/** Where the checker reads what the system actually did. */
public interface Ledgers {

    /** One ledger event: its position, type and payload. */
    record Entry(long sequence, String type, JsonNode payload) {
    }

    /**
     * What a player holds: {@code supply} per asset (GOLD and GEM spendable plus held, items by id)
     * and a line for every amount that is negative (a spendable balance, a hold or an item).
     */
    record Holdings(Map<String, Long> supply, List<String> negative) {

        public Holdings {
            supply = Map.copyOf(supply);
            negative = List.copyOf(negative);
        }
    }

    /** The player's whole ledger, in sequence order. */
    List<Entry> ledger(UUID player) throws Exception;

    Holdings holdings(UUID player) throws Exception;

    /** The service's own audit (ledger replay against projections), if it has one: the drift it found. */
    OptionalLong auditDrift() throws Exception;
}
