package dev.bulwark.console;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;

/** The templates' view of the services' JSON, as {@code ${@json.text(node)}}: values as text, objects as rows. */
@Component("json")
class JsonText {

    public String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "";
        }
        return node.isValueNode() ? node.asString() : node.toString();
    }

    public Map<String, String> fields(JsonNode node) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(entry -> fields.put(entry.getKey(), text(entry.getValue())));
        }
        return fields;
    }
}
