package dev.bulwark.platform.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;

import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Request bodies are read as written, never coerced: an amount of {@code 1.9}, {@code 1e2},
 * {@code "5"} or {@code true} is refused instead of becoming 1, 100, 5 or 1; an empty string is
 * not null (a ban with {@code "until": ""} is refused, not permanent); a duplicate key is refused
 * instead of the last one winning (the one a proxy or signature check read may not be the one
 * the service acts on); and text carrying characters {@link TextRules} forbids is refused. Every
 * such body is a 400 problem through {@link ProblemDetailsAdvice}, before anything runs.
 */
final class StrictJson implements JsonMapperBuilderCustomizer {

    @Override
    public void customize(JsonMapper.Builder builder) {
        builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfigDefaults(config -> config
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setAcceptBlankAsEmpty(false))
                .withCoercionConfig(LogicalType.Integer, config -> config
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                        // Text stays text: "" is a value (validation decides whether it is allowed).
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.AsEmpty))
                .addModule(new SimpleModule("bulwark-text-rules")
                        .addDeserializer(String.class, new CheckedStrings())
                        .addKeyDeserializer(String.class, new CheckedKeys()));
    }

    /** Strings (values) checked against {@link TextRules}. */
    static final class CheckedStrings extends StringDeserializer {

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            String value = super.deserialize(parser, context);
            if (value != null) {
                TextRules.require(fieldName(parser), value);
            }
            return value;
        }

        private static String fieldName(JsonParser parser) {
            String name = parser.currentName();
            return name == null ? null : "Field " + name;
        }
    }

    /** Map keys (e.g. purchase params' names) checked like values. */
    static final class CheckedKeys extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext context) {
            TextRules.require("A key", key);
            return key;
        }
    }
}
