/**
 * The economy's web edge: the one mapping of the modules' domain refusals to problem+json responses.
 */
package dev.bulwark.economy.web;
