package dev.bulwark.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CausalChatTests {

    @Test
    void aReplyArrivingFirstWaitsForWhatItAnswers() {
        CausalChat eu = new CausalChat("eu");
        CausalChat us = new CausalChat("us");
        CausalChat ap = new CausalChat("ap");
        ChatMessage question = eu.post("ann", "raid at nine?", 1_000);
        us.receive(question);
        ChatMessage answer = us.post("bob", "yes", 900); // us's wall clock is behind: it does not matter

        assertThat(ap.receive(answer)).isEmpty();
        assertThat(ap.shown()).isEmpty();
        assertThat(ap.pending()).containsExactly(answer);

        assertThat(ap.receive(question)).containsExactly(question, answer);
        assertThat(ap.shown()).containsExactly(question, answer);
        assertThat(ap.receive(answer)).as("a repeat").isEmpty();
    }
}
