package dev.bulwark.architecture.violations;

import org.springframework.http.HttpStatus;

/** A deliberate violation: a rule below the controllers that picks an HTTP status. */
public class StatusInTheRules {

    public HttpStatus refuse() {
        return HttpStatus.CONFLICT;
    }
}
