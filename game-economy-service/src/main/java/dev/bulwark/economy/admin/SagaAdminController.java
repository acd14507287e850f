package dev.bulwark.economy.admin;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.economy.saga.SagaOrchestrator;
import dev.bulwark.economy.saga.SagaState;
import dev.bulwark.economy.saga.SagaView;
import dev.bulwark.platform.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Operator control of sagas: list, inspect, force a retry or the cancel protocol. */
@RestController
@RequestMapping("/api/v1/admin/sagas")
@PreAuthorize("@access.hasRole('ADMIN')")
@Validated
class SagaAdminController {

    private final SagaOrchestrator orchestrator;

    SagaAdminController(SagaOrchestrator orchestrator) {
        this.orchestrator = orchestrator;
    }

    @GetMapping
    @Operation(summary = "Sagas, newest first, optionally of one status (WAITING and CANCELLING past their deadline are stuck)")
    List<SagaView> list(@RequestParam Optional<SagaState> status,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return orchestrator.list(status, limit);
    }

    @GetMapping("/{sagaId}")
    @Operation(summary = "One saga with every step it took")
    SagaView get(@PathVariable UUID sagaId) {
        return orchestrator.view(sagaId).orElseThrow(() -> notFound(sagaId));
    }

    @PostMapping("/{sagaId}/retry")
    @Operation(summary = "Send the awaited command (or Cancel) again with the same (sagaId, step); participants de-duplicate it")
    SagaView retry(@PathVariable UUID sagaId) {
        return orchestrator.retry(sagaId).orElseThrow(() -> notFound(sagaId));
    }

    @PostMapping("/{sagaId}/cancel")
    @Operation(summary = "Start the cancel protocol now; funds are released only when the participant confirms")
    SagaView cancel(@PathVariable UUID sagaId) {
        return orchestrator.forceCancel(sagaId).orElseThrow(() -> notFound(sagaId));
    }

    private static ApiException notFound(UUID sagaId) {
        return ApiException.notFound("Saga " + sagaId);
    }
}
