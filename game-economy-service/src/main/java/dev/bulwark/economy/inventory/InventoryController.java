package dev.bulwark.economy.inventory;

import java.util.List;
import java.util.UUID;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.economy.ledger.PlayerStore;
import dev.bulwark.economy.movement.MovementRefusal;
import dev.bulwark.events.economy.ItemQuantity;
import io.swagger.v3.oas.annotations.media.Schema;

@RestController
class InventoryController {

    private final PlayerStore store;

    InventoryController(PlayerStore store) {
        this.store = store;
    }

    @Schema(description = "Items held, one entry per item; version is the ledger position of the last change to the player")
    record InventoryView(UUID playerId, List<ItemQuantity> items, long version) {
    }

    @GetMapping("/api/v1/players/{playerId}/inventory")
    @PreAuthorize("@access.isPlayerOrTrusted(#playerId)")
    InventoryView inventory(@PathVariable UUID playerId) {
        var wallet = store.wallet(playerId).orElseThrow(MovementRefusal::walletNotFound);
        return new InventoryView(playerId, store.inventory(playerId), wallet.lastSequence());
    }
}
