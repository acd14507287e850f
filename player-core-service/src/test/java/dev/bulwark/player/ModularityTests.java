package dev.bulwark.player;

import org.junit.jupiter.api.Test;

import dev.bulwark.testsupport.Modularity;

/** Player-core's feature modules keep to the module rules; no Spring context. */
class ModularityTests {

    @Test
    void modulesFormNoCycleAndUseOnlyEachOthersApi() {
        Modularity.verify(PlayerCoreApplication.class);
    }
}
