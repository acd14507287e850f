package dev.bulwark.architecture.violations.modules.alpha;

import dev.bulwark.architecture.violations.modules.alpha.internal.Secret;
import dev.bulwark.architecture.violations.modules.beta.Beta;

/** Module alpha's API; it calls beta, which calls back: a cycle. */
public class Alpha {

    public String greet() {
        return new Beta().answer() + new Secret().value();
    }
}
