package dev.bulwark.stack;

import java.util.OptionalLong;

/**
 * A snapshot of one component of the stack.
 *
 * @param name  {@code postgres}, {@code kafka} or a {@link Service#id()}
 * @param state {@code running}, {@code paused}, {@code stopped} (never started, or stopped/killed on request)
 *              or {@code crashed} when the process ended without being asked to, with the exit code where known:
 *              {@code crashed (exit 137)}
 * @param port  the port it serves on
 * @param pid   the process id while it is alive
 */
public record ComponentStatus(String name, String state, int port, OptionalLong pid) {
}
