package dev.bulwark.console;

import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;

/**
 * One service's part of a page: its data, or the problem it answered. A page reads several
 * services; one that refuses or is down leaves the others' sections readable.
 */
record Section(JsonNode data, Problem problem) {

    static Section read(Supplier<JsonNode> read) {
        try {
            return new Section(read.get(), null);
        } catch (Refused refused) {
            return new Section(null, refused.problem());
        }
    }
}
