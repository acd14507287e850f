package dev.bulwark.architecture.violations.modules.beta;

/** A deliberate violation: public, yet no other module uses it. */
public class Unused {
}
