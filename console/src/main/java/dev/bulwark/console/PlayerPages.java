package dev.bulwark.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import tools.jackson.databind.JsonNode;

/** Players: search, one player's profile, wallet and holds, inventory, ledger, bans and audit log; adjust and ban. */
@Controller
class PlayerPages {

    static final int LEDGER_PAGE = 20;

    private final Services services;

    PlayerPages(Services services) {
        this.services = services;
    }

    @GetMapping("/players")
    String search(@RequestParam(required = false) String q, @RequestAttribute SignedInOperator operator,
            Model model) {
        model.addAttribute("q", q == null ? "" : q);
        if (q != null && !q.isBlank()) {
            model.addAttribute("results", Section.read(() -> services.get(Backend.PLAYER_CORE, operator.token(),
                    "/api/v1/admin/players?q={q}&limit=50", q.strip())));
        }
        return "players";
    }

    @GetMapping("/players/{playerId}")
    String player(@PathVariable UUID playerId, @RequestParam(defaultValue = "0") long after,
            @RequestAttribute SignedInOperator operator, Model model) {
        String token = operator.token();
        model.addAttribute("playerId", playerId);
        model.addAttribute("after", after);
        model.addAttribute("profile", Section.read(() -> services.get(Backend.PLAYER_CORE, token,
                "/api/v1/players/{id}", playerId)));
        model.addAttribute("account", Section.read(() -> services.get(Backend.PLAYER_CORE, token,
                "/api/v1/admin/players?q={id}&limit=1", playerId)));
        model.addAttribute("wallet", Section.read(() -> services.get(Backend.ECONOMY, token,
                "/api/v1/players/{id}/wallet", playerId)));
        model.addAttribute("inventory", Section.read(() -> services.get(Backend.ECONOMY, token,
                "/api/v1/players/{id}/inventory", playerId)));
        model.addAttribute("ledger", Section.read(() -> services.get(Backend.ECONOMY, token,
                "/api/v1/players/{id}/ledger?after={after}&limit={limit}", playerId, after, LEDGER_PAGE)));
        model.addAttribute("audit", Section.read(() -> services.get(Backend.ECONOMY, token,
                "/api/v1/admin/players/{id}/audit-log?limit=20", playerId)));
        model.addAttribute("bans", Section.read(() -> services.get(Backend.PLAYER_CORE, token,
                "/api/v1/admin/players/{id}/bans?limit=20", playerId)));
        return "player";
    }

    @PostMapping("/players/{playerId}/adjustments/confirm")
    String confirmAdjustment(@PathVariable UUID playerId, @RequestParam String currency,
            @RequestParam(defaultValue = "0") long amount, @RequestParam(defaultValue = "") String itemId,
            @RequestParam(defaultValue = "0") long quantity, @RequestParam String reason, Model model) {
        return Confirmation.of("Adjust this player's economy", "/players/" + playerId + "/adjustments",
                        "/players/" + playerId)
                .shows("Player", playerId.toString())
                .shows("Currency", amount == 0 ? "no change" : signed(amount) + " " + currency)
                .shows("Item", itemId.isBlank() || quantity == 0 ? "no change" : signed(quantity) + " × " + itemId)
                .shows("Reason (kept in the admin audit log)", reason)
                .sends("currency", currency).sends("amount", Long.toString(amount)).sends("itemId", itemId)
                .sends("quantity", Long.toString(quantity)).sends("reason", reason)
                // Generated once per confirmation: a double-click or a resubmitted page applies it once.
                .sends("idempotencyKey", UUID.randomUUID().toString())
                .render(model);
    }

    @PostMapping("/players/{playerId}/adjustments")
    String adjust(@PathVariable UUID playerId, @RequestParam String currency, @RequestParam long amount,
            @RequestParam String itemId, @RequestParam long quantity, @RequestParam String reason,
            @RequestParam UUID idempotencyKey, @RequestAttribute SignedInOperator operator,
            RedirectAttributes redirect) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("currency", amount == 0 ? Map.of() : Map.of(currency, amount));
        List<Map<String, Object>> items = new ArrayList<>();
        if (!itemId.isBlank() && quantity != 0) {
            items.add(Map.of("itemId", itemId, "quantity", quantity));
        }
        body.put("items", items);
        body.put("reason", reason);
        JsonNode applied = services.postOnce(Backend.ECONOMY, operator.token(), idempotencyKey, body,
                "/api/v1/admin/players/{id}/adjustments", playerId);
        redirect.addFlashAttribute("notice", "Adjustment applied: ledger entry #"
                + applied.path("ledgerSequence").asLong() + ".");
        return "redirect:/players/" + playerId;
    }

    @PostMapping("/players/{playerId}/ban/confirm")
    String confirmBan(@PathVariable UUID playerId, @RequestParam String reason, Model model) {
        return Confirmation.of("Ban this player", "/players/" + playerId + "/ban", "/players/" + playerId)
                .shows("Player", playerId.toString())
                .shows("Effect", "their tokens stop working in every service at once; refresh tokens are revoked")
                .shows("Reason", reason)
                .sends("reason", reason)
                .render(model);
    }

    @PostMapping("/players/{playerId}/ban")
    String ban(@PathVariable UUID playerId, @RequestParam String reason, @RequestAttribute SignedInOperator operator,
            RedirectAttributes redirect) {
        services.post(Backend.PLAYER_CORE, operator.token(), Map.of("reason", reason),
                "/api/v1/admin/players/{id}/ban", playerId);
        redirect.addFlashAttribute("notice", "The player is banned.");
        return "redirect:/players/" + playerId;
    }

    @PostMapping("/players/{playerId}/unban/confirm")
    String confirmUnban(@PathVariable UUID playerId, Model model) {
        return Confirmation.of("Lift this player's ban", "/players/" + playerId + "/unban", "/players/" + playerId)
                .shows("Player", playerId.toString())
                .shows("Effect", "they can sign in again; tokens issued before the ban stay refused")
                .render(model);
    }

    @PostMapping("/players/{playerId}/unban")
    String unban(@PathVariable UUID playerId, @RequestAttribute SignedInOperator operator,
            RedirectAttributes redirect) {
        services.delete(Backend.PLAYER_CORE, operator.token(), "/api/v1/admin/players/{id}/ban", playerId);
        redirect.addFlashAttribute("notice", "The ban is lifted.");
        return "redirect:/players/" + playerId;
    }

    private static String signed(long value) {
        return value > 0 ? "+" + value : Long.toString(value);
    }
}
