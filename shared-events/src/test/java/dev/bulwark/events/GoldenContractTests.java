package dev.bulwark.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Golden samples are messages as they were once written. Each must still be read by this build
 * with nothing left over, and written back identically: a removed or renamed field shows up as
 * an unknown property, a changed type as a different tree.
 */
class GoldenContractTests {

    private static final JsonMapper STRICT = Contracts.MAPPER.rebuild()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    @TestFactory
    Stream<DynamicTest> everyGoldenSampleStillReadsAndWritesBackTheSame() {
        return Arrays.stream(MessageType.values()).map(type -> DynamicTest.dynamicTest(type.id(), () -> {
            JsonNode golden = golden(type);

            Envelope envelope = STRICT.treeToValue(golden, Envelope.class);
            Payload payload = STRICT.treeToValue(envelope.payload(), type.payloadType());

            assertThat(envelope.type()).isEqualTo(type.id());
            assertThat(envelope.schemaVersion()).isEqualTo(type.schemaVersion());
            assertThat(written(payload)).isEqualTo(golden.get("payload"));
            assertThat(written(envelope)).isEqualTo(golden);
        }));
    }

    @Test
    void wrapsAndDecodesWithTheLogicalTypeIdNotTheClassName() throws IOException {
        Envelope golden = Contracts.MAPPER.treeToValue(golden(MessageType.CREATE_GUILD), Envelope.class);
        Payload payload = Contracts.payload(golden);

        Envelope rewrapped = Contracts.wrap(golden.eventId(), payload, golden.aggregateId(), golden.sequence(),
                golden.occurredAt(), golden.trace());

        assertThat(rewrapped).isEqualTo(golden);
        assertThat(new String(Contracts.toBytes(rewrapped))).doesNotContain("dev.bulwark");
        assertThat(Contracts.fromBytes(Contracts.toBytes(rewrapped))).isEqualTo(golden);
    }

    @Test
    void aCancelTravelsOnTheTopicOfTheCommandItCancels() throws IOException {
        Envelope cancel = Contracts.MAPPER.treeToValue(golden(MessageType.CANCEL_STEP), Envelope.class);

        assertThat(cancel.topic()).isEqualTo(Topics.SOCIAL_COMMANDS);
    }

    @Test
    void readersIgnoreFieldsAddedByNewerWriters() throws IOException {
        JsonNode newer = golden(MessageType.PLAYER_REGISTERED);
        ((tools.jackson.databind.node.ObjectNode) newer.get("payload")).put("region", "eu");
        ((tools.jackson.databind.node.ObjectNode) newer).put("partitionHint", 3);

        Envelope envelope = Contracts.MAPPER.treeToValue(newer, Envelope.class);

        assertThat(Contracts.payload(envelope)).isInstanceOf(dev.bulwark.events.player.PlayerRegistered.class);
    }

    @Test
    void aVersionOneRegistrationStillReadsWithoutAHomeRegion() throws IOException {
        JsonNode v1;
        try (InputStream in = GoldenContractTests.class.getResourceAsStream("/golden/PlayerRegistered.v1.json")) {
            v1 = STRICT.readTree(in);
        }

        Envelope envelope = STRICT.treeToValue(v1, Envelope.class);
        var registered = (dev.bulwark.events.player.PlayerRegistered) Contracts.payload(envelope);

        assertThat(envelope.schemaVersion()).isEqualTo(1);
        assertThat(registered.username()).isEqualTo("ayla");
        assertThat(registered.homeRegion()).as("readers take a missing home region as the default home").isNull();
    }

    /** Written and read back as text, so that numbers compare by value and not by node class. */
    private static JsonNode written(Object value) {
        return STRICT.readTree(STRICT.writeValueAsString(value));
    }

    private static JsonNode golden(MessageType type) throws IOException {
        String name = "/golden/" + type.id() + ".v" + type.schemaVersion() + ".json";
        try (InputStream in = GoldenContractTests.class.getResourceAsStream(name)) {
            assertThat(in).as("golden sample %s", name).isNotNull();
            return STRICT.readTree(in);
        }
    }
}
