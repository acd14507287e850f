package dev.bulwark.architecture.violations.modules.beta;

import dev.bulwark.architecture.violations.modules.alpha.Alpha;
import dev.bulwark.architecture.violations.modules.alpha.internal.Secret;

/** Module beta's API, with two deliberate violations: it reaches into alpha's internals, and it depends back on alpha. */
public class Beta {

    public String answer() {
        return new Secret().value();
    }

    public Alpha back() {
        return new Alpha();
    }
}
