package dev.bulwark.social.guild;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** @param defaultMaxMembers the member cap a new guild starts with; its leader may change it (1..500) */
@Validated
@ConfigurationProperties("bulwark.social.guild")
record GuildProperties(@Min(1) @Max(500) int defaultMaxMembers) {
}
