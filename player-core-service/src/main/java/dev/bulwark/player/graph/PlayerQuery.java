package dev.bulwark.player.graph;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import dev.bulwark.platform.security.Access;
import dev.bulwark.platform.security.Roles;
import dev.bulwark.platform.web.ApiException;
import dev.bulwark.player.guild.GuildMemberships;
import dev.bulwark.player.profile.PlayerView;
import dev.bulwark.player.profile.Players;

/**
 * {@code me} and {@code player(id)}: the profile from player-core's own tables, the guild from
 * its projection of social's events, and wallet, inventory and friends as live reads started in
 * parallel. A failing part becomes an error entry for that field (see {@link GraphErrors}); the
 * other fields still answer.
 */
@Controller
class PlayerQuery {

    private final Players players;
    private final GuildMemberships guilds;
    private final LiveReads live;
    private final Access access;

    PlayerQuery(Players players, GuildMemberships guilds, LiveReads live, Access access) {
        this.players = players;
        this.guilds = guilds;
        this.live = live;
        this.access = access;
    }

    @QueryMapping
    PlayerView me() {
        if (!access.hasRole(Roles.PLAYER)) {
            throw ApiException.notFound("A player for this caller");
        }
        return players.get(UUID.fromString(access.subject()));
    }

    @QueryMapping
    PlayerView player(@Argument UUID id) {
        return players.get(id);
    }

    @SchemaMapping(typeName = "Player")
    String characterClass(PlayerView player) {
        return player.characterClass().name();
    }

    @SchemaMapping(typeName = "Player")
    PlayerView.Stats stats(PlayerView player) {
        requireOwnerOrTrusted(player, "stats");
        return player.stats();
    }

    @SchemaMapping(typeName = "Player")
    GuildMemberships.Membership guild(PlayerView player) {
        return guilds.of(player.playerId()).orElse(null);
    }

    @SchemaMapping(typeName = "Player")
    CompletableFuture<Map<String, Map<String, Long>>> wallet(PlayerView player) {
        requireOwnerOrTrusted(player, "wallet");
        return live.wallet(player.playerId())
                .thenApply(w -> Map.of("balances", currencies(w.balances()), "held", currencies(w.held())));
    }

    @SchemaMapping(typeName = "Player")
    CompletableFuture<List<Downstreams.ItemStack>> inventory(PlayerView player) {
        requireOwnerOrTrusted(player, "inventory");
        return live.inventory(player.playerId()).thenApply(Downstreams.Inventory::items);
    }

    @SchemaMapping(typeName = "Player")
    CompletableFuture<List<Downstreams.Friend>> friends(PlayerView player) {
        requireOwnerOrTrusted(player, "friends");
        return live.friends(player.playerId());
    }

    private static Map<String, Long> currencies(Map<String, Long> amounts) {
        Map<String, Long> present = amounts == null ? Map.of() : amounts;
        return Map.of("GOLD", present.getOrDefault("GOLD", 0L), "GEM", present.getOrDefault("GEM", 0L));
    }

    private void requireOwnerOrTrusted(PlayerView player, String field) {
        if (!access.isPlayerOrTrusted(player.playerId())) {
            throw new HiddenField(field);
        }
    }

    /** A private field asked for by someone who may not see it. */
    static class HiddenField extends RuntimeException {

        HiddenField(String field) {
            super(field + " is visible only to the player, game servers and admins");
        }
    }
}
