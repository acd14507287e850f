/**
 * A deliberately broken modular application (modules {@code alpha} and {@code beta}): the checks
 * prove on it that the module rules the services are held to catch what they must.
 */
package dev.bulwark.architecture.violations.modules;
