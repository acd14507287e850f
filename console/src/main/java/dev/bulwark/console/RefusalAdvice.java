package dev.bulwark.console;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import jakarta.servlet.http.HttpServletResponse;

/** A refusal from a service becomes a page showing the service's problem, with its status. */
@ControllerAdvice
class RefusalAdvice {

    @ExceptionHandler(Refused.class)
    String refused(Refused refused, Model model, HttpServletResponse response) {
        response.setStatus(refused.problem().status());
        model.addAttribute("problem", refused.problem());
        return "refused";
    }
}
