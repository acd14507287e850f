package dev.bulwark.economy.wallet;

import java.util.Map;
import java.util.UUID;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.economy.ledger.PlayerStore;
import dev.bulwark.economy.movement.MovementRefusal;
import dev.bulwark.events.economy.Currency;
import io.swagger.v3.oas.annotations.media.Schema;

@RestController
class WalletController {

    private final PlayerStore store;

    WalletController(PlayerStore store) {
        this.store = store;
    }

    @Schema(description = "balances are spendable; held is reserved by pending sagas; version is the ledger position of the last change")
    record WalletView(UUID playerId, Map<Currency, Long> balances, Map<Currency, Long> held, long version) {
    }

    @GetMapping("/api/v1/players/{playerId}/wallet")
    @PreAuthorize("@access.isPlayerOrTrusted(#playerId)")
    WalletView wallet(@PathVariable UUID playerId) {
        return store.wallet(playerId)
                .map(w -> new WalletView(playerId, w.balances(), w.held(), w.lastSequence()))
                .orElseThrow(MovementRefusal::walletNotFound);
    }
}
