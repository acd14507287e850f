package dev.bulwark.player.account;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/** The signing side of the token setup; every service shares the verifying side. */
@ConfigurationProperties("bulwark.security")
record TokenProperties(Resource privateKeyLocation, Resource publicKeyLocation, String issuer, String audience,
        Duration accessTokenTtl) {
}
