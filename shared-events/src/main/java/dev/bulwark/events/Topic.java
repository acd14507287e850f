package dev.bulwark.events;

/**
 * A Kafka topic with the meaning of its key and the type of its value.
 *
 * @param name     the topic name
 * @param keyMeaning what the record key is (always an aggregate id, as a string)
 * @param valueType the record value type
 */
public record Topic(String name, String keyMeaning, Class<?> valueType) {

    public static final String DEAD_LETTER_SUFFIX = "-dlt";

    /** The topic that receives this topic's messages once a consumer has given up on them. */
    public String deadLetter() {
        return name + DEAD_LETTER_SUFFIX;
    }
}
