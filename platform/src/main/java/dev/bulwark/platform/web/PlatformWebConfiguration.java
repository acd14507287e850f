package dev.bulwark.platform.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;

/** The problem+json mapping shared by every service. */
@AutoConfiguration
@Import(ProblemDetailsAdvice.class)
public class PlatformWebConfiguration {
}
