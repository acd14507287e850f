package dev.bulwark.player.operator;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.platform.security.Access;
import dev.bulwark.platform.web.ClientAddress;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

@RestController
class OperatorController {

    private final Operators operators;
    private final Access access;

    OperatorController(Operators operators, Access access) {
        this.operators = operators;
        this.access = access;
    }

    @PostMapping("/api/v1/auth/operator")
    @Operation(summary = "An operator signs in (the console): a token with subject operator:<username> and role ADMIN or "
            + "VIEWER; 401 bad-credentials, 429 (with Retry-After) after repeated attempts for an operator or from an address")
    Operators.SignedIn signIn(@Valid @RequestBody OperatorSignIn request, HttpServletRequest http) {
        return operators.signIn(request.username(), request.password(), ClientAddress.of(http));
    }

    @GetMapping("/api/v1/admin/operators")
    @PreAuthorize("@access.isOperator()")
    @Operation(summary = "The operator accounts (operators: ADMIN or VIEWER)")
    List<Operators.Operator> list() {
        return operators.list();
    }

    @PostMapping("/api/v1/admin/operators")
    @PreAuthorize("@access.hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an operator account (ADMIN); 409 operator-exists")
    Operators.Operator create(@Valid @RequestBody NewOperator request) {
        return operators.create(request.username(), request.password(), request.role(), access.subject());
    }

    @PostMapping("/api/v1/admin/operators/{username}/disable")
    @PreAuthorize("@access.hasRole('ADMIN')")
    @Operation(summary = "Disable an operator account (ADMIN): no more sign-ins, and every service refuses the tokens "
            + "it holds; audited. Again: no change. 404 not-found; 409 cannot-disable-self")
    Operators.Operator disable(@PathVariable String username, @Valid @RequestBody DisableOperator request) {
        return operators.disable(username, access.subject(), request.reason());
    }
}

record OperatorSignIn(@NotBlank @Size(max = 32) String username, @NotBlank @Size(max = 128) String password) {
}

@Schema(description = "Username: 3-32 of a-z 0-9 _ . - (kept in lower case); password: 12-128 characters")
record NewOperator(@NotBlank @Size(min = 3, max = 32) @Pattern(regexp = "[A-Za-z0-9_.-]+") String username,
        @NotBlank @Size(min = 12, max = 128) String password, @NotNull OperatorRole role) {
}

record DisableOperator(@NotBlank @Size(max = 500) String reason) {
}
