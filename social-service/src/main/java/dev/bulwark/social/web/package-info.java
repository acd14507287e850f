/**
 * Social's web edge: the one mapping of the modules' refusals to problem+json responses.
 */
package dev.bulwark.social.web;
