package dev.bulwark.console;

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

/**
 * Guilds: search by name; one guild's members, roles and cap, its chat as an operator reads it,
 * the mutes in force and the moderation log; remove a message, mute and unmute a member, each
 * confirmed first and audited by social under the operator's name.
 */
@Controller
class GuildPages {

    private final Services services;

    GuildPages(Services services) {
        this.services = services;
    }

    @GetMapping("/guilds")
    String search(@RequestParam(defaultValue = "") String q, @RequestAttribute SignedInOperator operator,
            Model model) {
        model.addAttribute("q", q);
        model.addAttribute("results", Section.read(() -> services.get(Backend.SOCIAL, operator.token(),
                "/api/v1/admin/guilds?q={q}&limit=50", q.strip())));
        return "guilds";
    }

    @GetMapping("/guilds/{guildId}")
    String guild(@PathVariable UUID guildId, @RequestAttribute SignedInOperator operator, Model model) {
        String token = operator.token();
        model.addAttribute("guildId", guildId);
        model.addAttribute("guild", Section.read(() -> services.get(Backend.SOCIAL, token, "/api/v1/guilds/{id}", guildId)));
        model.addAttribute("messages", Section.read(() -> services.get(Backend.SOCIAL, token,
                "/api/v1/admin/guilds/{id}/messages?limit=50", guildId)));
        model.addAttribute("mutes", Section.read(() -> services.get(Backend.SOCIAL, token,
                "/api/v1/admin/guilds/{id}/mutes", guildId)));
        model.addAttribute("log", Section.read(() -> services.get(Backend.SOCIAL, token,
                "/api/v1/admin/guilds/{id}/moderation-log?limit=20", guildId)));
        return "guild";
    }

    @PostMapping("/guilds/{guildId}/messages/{messageId}/remove/confirm")
    String confirmRemoval(@PathVariable UUID guildId, @PathVariable long messageId, @RequestParam String reason,
            Model model) {
        return Confirmation.of("Remove this chat message", "/guilds/" + guildId + "/messages/" + messageId + "/remove",
                        "/guilds/" + guildId)
                .shows("Guild", guildId.toString())
                .shows("Message", "#" + messageId)
                .shows("Effect", "the message is deleted from the guild's chat; its text stays in the moderation log")
                .shows("Reason", reason)
                .sends("reason", reason)
                .render(model);
    }

    @PostMapping("/guilds/{guildId}/messages/{messageId}/remove")
    String remove(@PathVariable UUID guildId, @PathVariable long messageId, @RequestParam String reason,
            @RequestAttribute SignedInOperator operator, RedirectAttributes redirect) {
        services.post(Backend.SOCIAL, operator.token(), Map.of("reason", reason),
                "/api/v1/admin/guilds/{g}/messages/{m}/remove", guildId, messageId);
        redirect.addFlashAttribute("notice", "Message #" + messageId + " removed.");
        return "redirect:/guilds/" + guildId;
    }

    @PostMapping("/guilds/{guildId}/mutes/{playerId}/confirm")
    String confirmMute(@PathVariable UUID guildId, @PathVariable UUID playerId,
            @RequestParam(defaultValue = "60") int minutes, @RequestParam String reason, Model model) {
        return Confirmation.of("Mute this member", "/guilds/" + guildId + "/mutes/" + playerId, "/guilds/" + guildId)
                .shows("Guild", guildId.toString())
                .shows("Player", playerId.toString())
                .shows("Effect", "their posts in this guild's chat are refused for " + minutes + " minutes")
                .shows("Reason", reason)
                .sends("minutes", Integer.toString(minutes)).sends("reason", reason)
                .render(model);
    }

    @PostMapping("/guilds/{guildId}/mutes/{playerId}")
    String mute(@PathVariable UUID guildId, @PathVariable UUID playerId, @RequestParam int minutes,
            @RequestParam String reason, @RequestAttribute SignedInOperator operator, RedirectAttributes redirect) {
        var mute = services.put(Backend.SOCIAL, operator.token(), Map.of("minutes", minutes, "reason", reason),
                "/api/v1/admin/guilds/{g}/mutes/{p}", guildId, playerId);
        redirect.addFlashAttribute("notice", "Muted until " + mute.path("until").asString() + ".");
        return "redirect:/guilds/" + guildId;
    }

    @PostMapping("/guilds/{guildId}/mutes/{playerId}/lift/confirm")
    String confirmUnmute(@PathVariable UUID guildId, @PathVariable UUID playerId, Model model) {
        return Confirmation.of("Lift this mute", "/guilds/" + guildId + "/mutes/" + playerId + "/lift",
                        "/guilds/" + guildId)
                .shows("Guild", guildId.toString())
                .shows("Player", playerId.toString())
                .shows("Effect", "they can post in this guild's chat again")
                .render(model);
    }

    @PostMapping("/guilds/{guildId}/mutes/{playerId}/lift")
    String unmute(@PathVariable UUID guildId, @PathVariable UUID playerId, @RequestAttribute SignedInOperator operator,
            RedirectAttributes redirect) {
        services.delete(Backend.SOCIAL, operator.token(), "/api/v1/admin/guilds/{g}/mutes/{p}", guildId, playerId);
        redirect.addFlashAttribute("notice", "The mute is lifted.");
        return "redirect:/guilds/" + guildId;
    }
}
