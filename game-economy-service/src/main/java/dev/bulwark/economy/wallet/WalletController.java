package dev.bulwark.economy.wallet;

import java.util.UUID;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.platform.web.ApiException;

@RestController
class WalletController {

    private final Wallets wallets;

    WalletController(Wallets wallets) {
        this.wallets = wallets;
    }

    /** {@code balances} is spendable; {@code held} is reserved by pending sagas. */
    @GetMapping("/api/v1/players/{playerId}/wallet")
    @PreAuthorize("@access.isPlayerOrTrusted(#playerId)")
    Wallets.WalletView wallet(@PathVariable UUID playerId) {
        return wallets.find(playerId).orElseThrow(() -> ApiException.notFound("Wallet"));
    }
}
