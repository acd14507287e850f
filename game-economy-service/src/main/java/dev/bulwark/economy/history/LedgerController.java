package dev.bulwark.economy.history;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.economy.ledger.PlayerStore;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import tools.jackson.databind.JsonNode;

@RestController
@Validated
class LedgerController {

    private final PlayerStore store;

    LedgerController(PlayerStore store) {
        this.store = store;
    }

    @Schema(description = "A page of a player's ledger in sequence order; pass nextAfter as after for the next page")
    record LedgerPage(UUID playerId, List<LedgerEntry> events, Long nextAfter) {
    }

    record LedgerEntry(long sequence, UUID eventId, String type, Instant occurredAt, JsonNode payload) {
    }

    /** The player's ledger events (holds included), after a position, in order. */
    @GetMapping("/api/v1/players/{playerId}/ledger")
    @PreAuthorize("@access.isPlayerOrAdmin(#playerId)")
    LedgerPage ledger(@PathVariable UUID playerId, @RequestParam(defaultValue = "0") @Min(0) long after,
            @RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit) {
        List<LedgerEntry> events = store.events(playerId, after, limit).stream()
                .map(e -> new LedgerEntry(e.sequence(), e.eventId(), e.type(), e.occurredAt(), e.payload()))
                .toList();
        Long next = events.size() == limit ? events.getLast().sequence() : null;
        return new LedgerPage(playerId, events, next);
    }
}
