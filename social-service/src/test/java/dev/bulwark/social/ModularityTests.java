package dev.bulwark.social;

import org.junit.jupiter.api.Test;

import dev.bulwark.testsupport.Modularity;

/** Social's feature modules (chat, friend, guild, player, web) keep to the module rules; no Spring context. */
class ModularityTests {

    @Test
    void modulesFormNoCycleAndUseOnlyEachOthersApi() {
        Modularity.verify(SocialApplication.class);
    }
}
