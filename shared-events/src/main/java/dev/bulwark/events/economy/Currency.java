package dev.bulwark.events.economy;

/** The two currencies. GOLD is earned and tradable; GEM is bought and never tradable. */
public enum Currency {
    GOLD, GEM
}
