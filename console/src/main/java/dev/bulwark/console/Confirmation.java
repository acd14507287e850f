package dev.bulwark.console;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.ui.Model;

/**
 * The page every action passes through before it is sent: what will be done, to whom, and a
 * button that posts the same fields to the action. Nothing is sent to a service before it.
 */
final class Confirmation {

    private final String title;
    private final String action;
    private final String back;
    private final Map<String, String> summary = new LinkedHashMap<>();
    private final Map<String, String> fields = new LinkedHashMap<>();

    private Confirmation(String title, String action, String back) {
        this.title = title;
        this.action = action;
        this.back = back;
    }

    static Confirmation of(String title, String action, String back) {
        return new Confirmation(title, action, back);
    }

    Confirmation shows(String label, String value) {
        summary.put(label, value);
        return this;
    }

    Confirmation sends(String name, String value) {
        fields.put(name, value == null ? "" : value);
        return this;
    }

    String render(Model model) {
        model.addAttribute("title", title);
        model.addAttribute("action", action);
        model.addAttribute("back", back);
        model.addAttribute("summary", summary);
        model.addAttribute("fields", fields);
        return "confirm";
    }
}
