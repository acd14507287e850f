package dev.bulwark.architecture.violations.modules.alpha.internal;

/** Internal to module alpha (a sub-package): public for alpha's own use, not for other modules. */
public class Secret {

    public String value() {
        return "secret";
    }
}
