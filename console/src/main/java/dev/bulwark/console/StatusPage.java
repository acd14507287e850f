package dev.bulwark.console;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;

/**
 * Each service's breakers, bulkheads, backlog, consumer lag and watch gauges, read in parallel:
 * a paused service costs the page one timeout, not one per service.
 */
@Controller
class StatusPage {

    private final Services services;
    private final ExecutorService reads = Executors.newVirtualThreadPerTaskExecutor();

    StatusPage(Services services) {
        this.services = services;
    }

    @GetMapping("/status")
    String status(@RequestAttribute SignedInOperator operator, Model model) {
        Map<Backend, CompletableFuture<Section>> pending = new LinkedHashMap<>();
        for (Backend backend : Backend.values()) {
            pending.put(backend, CompletableFuture.supplyAsync(() -> Section.read(
                    () -> services.get(backend, operator.token(), "/api/v1/admin/status")), reads));
        }
        Map<String, Section> sections = new LinkedHashMap<>();
        pending.forEach((backend, section) -> sections.put(backend.label(), section.join()));
        model.addAttribute("services", sections);
        return "status";
    }
}
