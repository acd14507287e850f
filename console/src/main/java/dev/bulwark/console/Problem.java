package dev.bulwark.console;

/**
 * A service's refusal as the operator sees it: the problem+json the API answered (RFC 9457), or
 * one the console made up when the service could not be reached ({@code type} then says so).
 */
record Problem(String type, String title, int status, String detail, String body) {
}
