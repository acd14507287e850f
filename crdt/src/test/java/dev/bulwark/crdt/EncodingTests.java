package dev.bulwark.crdt;

import static dev.bulwark.crdt.RelationPropertyTests.ANN;
import static dev.bulwark.crdt.RelationPropertyTests.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The states travel as plain JSON (records, no annotations) and their digests are a contract
 * between regions: golden values pin the canonical encoding, because a region running a changed
 * encoding would see every key as different from its peer's.
 */
class EncodingTests {

    private final JsonMapper json = JsonMapper.builder().build();

    private final Relation relation = Relation.between(ANN, BOB).request(ANN, "eu").accept(BOB, "us").block(ANN, "eu");
    private final Register<String> motto = Register.<String>empty().write("Onward", "eu", 1_000)
            .merge(Register.<String>empty().write("Forward", "us", 2_000));

    @Test
    void statesSurviveAJsonRoundTripUnchanged() {
        Orswot<String> set = Orswot.<String>empty().add("a", "eu").add("b", "us").remove("a", "us");
        ChatMessage message = new CausalChat("eu").post("ann", "hello", 5);

        assertThat(json.readValue(json.writeValueAsString(relation), Relation.class)).isEqualTo(relation);
        assertThat(json.readValue(json.writeValueAsString(motto), new TypeReference<Register<String>>() { })).isEqualTo(motto);
        assertThat(json.readValue(json.writeValueAsString(set), new TypeReference<Orswot<String>>() { })).isEqualTo(set);
        assertThat(json.readValue(json.writeValueAsString(message), ChatMessage.class)).isEqualTo(message);
        assertThat(json.writeValueAsString(set))
                .isEqualTo("{\"clock\":{\"counters\":{\"eu\":1,\"us\":2}},\"entries\":[{\"element\":\"b\",\"dots\":{\"counters\":{\"us\":1}}}]}");
    }

    @Test
    void digestsArePinned() {
        SortedMap<String, String> digests = new TreeMap<>();
        digests.put("relation", relation.digest());
        digests.put("motto", motto.digest(Function.identity()));

        assertThat(List.of(relation.digest(), motto.digest(Function.identity()), AntiEntropy.rootDigest(digests)))
                .containsExactly("b321c74e9f491b2b459789d077641c15e125f71317a45ed93a7c31566063476f",
                        "12ff7d12d69ab8fbf81f5ac995697bcb761fbeb7d952bb3ad32f4ef3b28a0f29",
                        "7561dc628ec5ca8347f6750a4d8539ffd43492e5efbf11b564389fa8cc34e801");
    }

    @Test
    void aDigestIsTheSha256OfTheDocumentedEncoding() {
        // Computed apart (Python hashlib): SHA-256 of len-prefixed UTF-8 "orswot", the clock
        // (size, then replica and counter), the entry count, then "a" and its dots.
        assertThat(Orswot.<String>empty().add("a", "eu").digest(Function.identity()))
                .isEqualTo("fe527b11842ae109659c68065e6b4d3d6897ad633d751051b9b02fb78e9e3c04");
    }
}
