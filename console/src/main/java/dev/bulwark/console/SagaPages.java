package dev.bulwark.console;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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

/** Sagas: filtered by state, the stuck ones first; one saga's steps; retry or cancel, confirmed. */
@Controller
class SagaPages {

    static final List<String> STATES = List.of("RUNNING", "WAITING", "CANCELLING", "COMPLETED", "FAILED", "CANCELLED");

    private final Services services;
    private final Clock clock;

    SagaPages(Services services, Clock clock) {
        this.services = services;
        this.clock = clock;
    }

    /**
     * A saga row with whether it is stuck: a participant missed its deadline, so it is WAITING past
     * the deadline (the scanner has not started the cancel yet) or CANCELLING (the Cancel goes out
     * again every retry period, each with a fresh deadline, while the funds stay held).
     */
    record Row(JsonNode saga, boolean stuck) {
    }

    @GetMapping("/sagas")
    String list(@RequestParam(required = false) String status, @RequestAttribute SignedInOperator operator,
            Model model) {
        // List.of(..).contains(null) throws: the bare /sagas (the menu's link) has no status.
        String state = status != null && STATES.contains(status) ? status : null;
        model.addAttribute("states", STATES);
        model.addAttribute("status", state);
        Section section = Section.read(() -> state == null
                ? services.get(Backend.ECONOMY, operator.token(), "/api/v1/admin/sagas?limit=200")
                : services.get(Backend.ECONOMY, operator.token(), "/api/v1/admin/sagas?status={s}&limit=200", state));
        model.addAttribute("problem", section.problem());
        model.addAttribute("rows", section.data() == null ? List.of() : rows(section.data(), clock.instant()));
        return "sagas";
    }

    static List<Row> rows(JsonNode sagas, Instant now) {
        List<Row> rows = new ArrayList<>();
        sagas.forEach(saga -> rows.add(new Row(saga, stuck(saga, now))));
        // Stuck first; the list keeps the service's order (newest first) within each group.
        rows.sort(Comparator.comparing(row -> !row.stuck()));
        return rows;
    }

    private static boolean stuck(JsonNode saga, Instant now) {
        String state = saga.path("state").asString();
        String deadline = saga.path("deadline").asString(null);
        return state.equals("CANCELLING")
                || state.equals("WAITING") && deadline != null && Instant.parse(deadline).isBefore(now);
    }

    @GetMapping("/sagas/{sagaId}")
    String saga(@PathVariable UUID sagaId, @RequestAttribute SignedInOperator operator, Model model) {
        JsonNode saga = services.get(Backend.ECONOMY, operator.token(), "/api/v1/admin/sagas/{id}", sagaId);
        model.addAttribute("saga", saga);
        model.addAttribute("stuck", stuck(saga, clock.instant()));
        return "saga";
    }

    /** An operator action on a saga: the economy's endpoint, what the confirmation says, what the page says after. */
    private record Action(String title, String effect, String done) {
    }

    private static final Map<String, Action> ACTIONS = Map.of(
            "retry", new Action("Retry this saga", "the awaited command (or Cancel) is sent again with the same step; "
                    + "participants de-duplicate it", "Retry sent"),
            "cancel", new Action("Compensate this saga", "the cancel protocol starts now; held funds are released only "
                    + "when the participant confirms", "Cancel started"));

    @PostMapping("/sagas/{sagaId}/{action:retry|cancel}/confirm")
    String confirm(@PathVariable UUID sagaId, @PathVariable String action, Model model) {
        Action chosen = ACTIONS.get(action);
        return Confirmation.of(chosen.title(), "/sagas/" + sagaId + "/" + action, "/sagas/" + sagaId)
                .shows("Saga", sagaId.toString())
                .shows("Effect", chosen.effect())
                .render(model);
    }

    @PostMapping("/sagas/{sagaId}/{action:retry|cancel}")
    String act(@PathVariable UUID sagaId, @PathVariable String action, @RequestAttribute SignedInOperator operator,
            RedirectAttributes redirect) {
        JsonNode saga = services.post(Backend.ECONOMY, operator.token(), null, "/api/v1/admin/sagas/{id}/{action}",
                sagaId, action);
        redirect.addFlashAttribute("notice", ACTIONS.get(action).done() + "; the saga is "
                + saga.path("state").asString() + ".");
        return "redirect:/sagas/" + sagaId;
    }
}
