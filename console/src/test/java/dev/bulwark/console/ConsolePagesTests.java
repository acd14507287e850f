package dev.bulwark.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The console's pages with every service unreachable (ports nothing listens on): signed out, a
 * page sends you to sign in; a sign-in the console cannot check is refused on the page; signed in,
 * each section of a page shows its own service's problem and the rest of the page still renders;
 * and no action is sent without the confirmation step and a CSRF token. The pages against the real
 * services are ConsoleBrowserSystemTests.
 */
@SpringBootTest
@AutoConfigureMockMvc
class ConsolePagesTests {

    @Autowired
    MockMvc mvc;

    @DynamicPropertySource
    static void unreachableServices(DynamicPropertyRegistry registry) throws IOException {
        String url = "http://127.0.0.1:" + freePort();
        registry.add("bulwark.console.player-core-url", () -> url);
        registry.add("bulwark.console.economy-url", () -> url);
        registry.add("bulwark.console.social-url", () -> url);
        registry.add("bulwark.console.timeout", () -> "1s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static SignedInOperator admin() {
        return new SignedInOperator("alice", "ADMIN", "not-a-real-token", Instant.now().plusSeconds(600));
    }

    @Test
    void aSignedOutBrowserIsSentToSignIn() throws Exception {
        mvc.perform(get("/players")).andExpect(redirectedUrl("/sign-in"));
        mvc.perform(get("/players").sessionAttr(SignedInOperator.ATTRIBUTE,
                new SignedInOperator("alice", "ADMIN", "t", Instant.now().minusSeconds(1))))
                .andExpect(redirectedUrl("/sign-in"));
    }

    @Test
    void aSignInPlayerCoreCannotAnswerIsRefusedOnThePage() throws Exception {
        String page = mvc.perform(post("/sign-in").with(csrf()).param("username", "alice").param("password", "pw"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(page).contains("Refused").contains("console:unreachable").contains("player-core");
    }

    @Test
    void aPlayerPageShowsEachUnreachableServiceInItsOwnSection() throws Exception {
        String page = mvc.perform(get("/players/" + UUID.randomUUID()).sessionAttr(SignedInOperator.ATTRIBUTE, admin()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(page).contains("<h2 id=\"wallet-heading\">Wallet</h2>").contains("game-economy did not answer")
                .contains("player-core did not answer").contains("id=\"adjust\"");
    }

    @Test
    void aViewerSeesNoActions() throws Exception {
        String page = mvc.perform(get("/players/" + UUID.randomUUID()).sessionAttr(SignedInOperator.ATTRIBUTE,
                        new SignedInOperator("bob", "VIEWER", "t", Instant.now().plusSeconds(600))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(page).doesNotContain("id=\"adjust\"").contains("You are a viewer");
    }

    @Test
    void anActionAsksForConfirmationFirstAndNeedsTheFormsCsrfToken() throws Exception {
        UUID player = UUID.randomUUID();
        String confirm = mvc.perform(post("/players/" + player + "/adjustments/confirm").with(csrf())
                        .sessionAttr(SignedInOperator.ATTRIBUTE, admin())
                        .param("currency", "GOLD").param("amount", "-50").param("reason", "chargeback"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(confirm).contains("-50 GOLD").contains("chargeback").contains("Nothing has been sent yet")
                .contains("name=\"idempotencyKey\"");

        mvc.perform(post("/players/" + player + "/adjustments").sessionAttr(SignedInOperator.ATTRIBUTE, admin())
                        .param("currency", "GOLD").param("amount", "-50").param("itemId", "").param("quantity", "0")
                        .param("reason", "chargeback").param("idempotencyKey", UUID.randomUUID().toString()))
                .andExpect(status().isForbidden());
    }

    @Test
    void theStatusPageShowsEveryServiceEvenWhenNoneAnswers() throws Exception {
        String page = mvc.perform(get("/status").sessionAttr(SignedInOperator.ATTRIBUTE, admin()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(page).contains("data-service=\"player-core\"").contains("data-service=\"game-economy\"")
                .contains("data-service=\"social\"").contains("social did not answer");
    }

    @Test
    void theSagasPageWithoutAStateFilterRenders() throws Exception {
        // The menu links to /sagas with no status; List.of(..).contains(null) made it a 500.
        String page = mvc.perform(get("/sagas").sessionAttr(SignedInOperator.ATTRIBUTE, admin()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(page).contains("<h1>Sagas</h1>").contains("game-economy did not answer");
    }
}
