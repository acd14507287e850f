package dev.bulwark.economy.saga;

import java.util.Map;

/**
 * Saga data that keeps what its participants returned (e.g. {@code guildId}), so that the saga's
 * view can show it without the engine knowing the data's type.
 */
public interface ParticipantResults {

    Map<String, String> result();
}
