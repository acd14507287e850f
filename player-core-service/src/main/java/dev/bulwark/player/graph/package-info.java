/**
 * The GraphQL player query: the profile and guild from local tables, wallet, inventory and
 * friends as live reads through the platform's resilient clients; a failing part is an error
 * entry, never a failed query.
 */
package dev.bulwark.player.graph;
