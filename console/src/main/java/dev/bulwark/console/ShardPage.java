package dev.bulwark.console;

import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The economy's shards: the ring (version, vnodes, each shard's weight and share), players, held
 * funds and load per shard, and each shard's health; and which shard a player lives on. Starting
 * and following a reshard waits for the economy's resharding API (issue 20).
 */
@Controller
class ShardPage {

    private final Services services;

    ShardPage(Services services) {
        this.services = services;
    }

    @GetMapping("/shards")
    String shards(@RequestParam(required = false) String player, @RequestAttribute SignedInOperator operator,
            Model model) {
        model.addAttribute("load", Section.read(() -> services.get(Backend.ECONOMY, operator.token(),
                "/api/v1/admin/shards/load")));
        model.addAttribute("player", player == null ? "" : player.strip());
        if (player != null && !player.isBlank()) {
            model.addAttribute("where", Section.read(() -> services.get(Backend.ECONOMY, operator.token(),
                    "/api/v1/admin/players/{id}/shard", playerId(player))));
        }
        return "shards";
    }

    /** A malformed id is refused here as the economy would refuse it, without a call. */
    private static UUID playerId(String text) {
        try {
            return UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            throw new Refused(new Problem("console:invalid-player-id", "Not a player id", 400,
                    "A player id is a UUID such as 00000000-0000-0000-0000-000000000000", null));
        }
    }
}
