package dev.bulwark.console;

import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

/** Operator accounts: who they are, their role and whether they are disabled; an ADMIN disables one, confirmed. */
@Controller
class OperatorPages {

    private final Services services;

    OperatorPages(Services services) {
        this.services = services;
    }

    @GetMapping("/operators")
    String list(@RequestAttribute SignedInOperator operator, Model model) {
        model.addAttribute("operators", Section.read(() -> services.get(Backend.PLAYER_CORE, operator.token(),
                "/api/v1/admin/operators")));
        return "operators";
    }

    @PostMapping("/operators/{username}/disable/confirm")
    String confirmDisable(@PathVariable String username, @RequestParam String reason, Model model) {
        String path = "/operators/" + UriUtils.encodePathSegment(username, java.nio.charset.StandardCharsets.UTF_8);
        return Confirmation.of("Disable this operator", path + "/disable", "/operators")
                .shows("Operator", username)
                .shows("Effect", "they can no longer sign in, and every service refuses the tokens they hold")
                .shows("Reason (kept in the admin audit log)", reason)
                .sends("reason", reason)
                .render(model);
    }

    @PostMapping("/operators/{username}/disable")
    String disable(@PathVariable String username, @RequestParam String reason,
            @RequestAttribute SignedInOperator operator, RedirectAttributes redirect) {
        services.post(Backend.PLAYER_CORE, operator.token(), Map.of("reason", reason),
                "/api/v1/admin/operators/{name}/disable", username);
        redirect.addFlashAttribute("notice", "Operator " + username + " is disabled.");
        return "redirect:/operators";
    }
}
