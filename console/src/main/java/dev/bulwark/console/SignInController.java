package dev.bulwark.console;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import tools.jackson.databind.JsonNode;

@Controller
class SignInController {

    private final Services services;
    private final Clock clock;

    SignInController(Services services, Clock clock) {
        this.services = services;
        this.clock = clock;
    }

    @GetMapping("/sign-in")
    String form() {
        return "sign-in";
    }

    @PostMapping("/sign-in")
    String signIn(@RequestParam String username, @RequestParam String password, HttpServletRequest request,
            Model model) {
        JsonNode signedIn;
        try {
            signedIn = services.post(Backend.PLAYER_CORE, null, Map.of("username", username, "password", password),
                    "/api/v1/auth/operator");
        } catch (Refused refused) {
            model.addAttribute("problem", refused.problem());
            model.addAttribute("username", username);
            return "sign-in";
        }
        HttpSession old = request.getSession(false);
        if (old != null) {
            old.invalidate();
        }
        // A fresh session id at sign-in: a session id planted before it is worth nothing after.
        request.getSession(true).setAttribute(SignedInOperator.ATTRIBUTE, new SignedInOperator(
                signedIn.path("username").asString(), signedIn.path("role").asString(),
                signedIn.path("accessToken").asString(),
                Instant.now(clock).plusSeconds(signedIn.path("expiresIn").asLong())));
        return "redirect:/players";
    }

    @PostMapping("/sign-out")
    String signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        return "redirect:/sign-in";
    }

    @GetMapping("/")
    String home() {
        return "redirect:/players";
    }
}
