package dev.bulwark.platform.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The problem+json mapping shared by every service: the controller advice, and the error dispatch
 * for what fails before a controller (ordered before Boot's error MVC configuration, which then
 * keeps its default error controller out).
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration")
@Import({ ProblemDetailsAdvice.class, ProblemErrorController.class })
public class PlatformWebConfiguration {
}
