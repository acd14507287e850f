package dev.bulwark.economy;

import org.junit.jupiter.api.Test;

import dev.bulwark.testsupport.Modularity;

/**
 * The economy's feature modules keep to the module rules, with no allow-list; no Spring context.
 * Modulith finds no cycle and no reach into another module's internals, and every public type of
 * a module is used by another one.
 */
class ModularityTests {

    @Test
    void modulesFormNoCycleAndUseOnlyEachOthersApi() {
        Modularity.verify(GameEconomyApplication.class);
    }
}
