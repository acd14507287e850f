package dev.bulwark.player.graph;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import graphql.GraphQLContext;
import graphql.schema.DataFetchingEnvironment;

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
 * other fields still answer. Live reads are made once per player per request ({@link LiveReads}),
 * and {@code me} starts those it is asked for before it reads the profile, so the downstream
 * calls overlap player-core's own reads instead of following them.
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
    PlayerView me(DataFetchingEnvironment env) {
        if (!access.hasRole(Roles.PLAYER)) {
            throw ApiException.notFound("A player for this caller");
        }
        UUID self = UUID.fromString(access.subject());
        GraphQLContext request = env.getGraphQlContext();
        // The caller's own fields are always visible to them: start the live reads now (memoised,
        // so the field fetchers below pick up the same calls).
        if (env.getSelectionSet().contains("wallet")) {
            live.wallet(self, request);
        }
        if (env.getSelectionSet().contains("inventory")) {
            live.inventory(self, request);
        }
        if (env.getSelectionSet().contains("friends")) {
            live.friends(self, request);
        }
        return players.get(self);
    }

    @QueryMapping
    PlayerView player(@Argument String id) {
        return players.get(playerId(id));
    }

    /** The argument is a GraphQL {@code ID}; a player's is a UUID, and anything else is the caller's mistake. */
    private static UUID playerId(String id) {
        try {
            return UUID.fromString(id);
        }
        catch (IllegalArgumentException notAUuid) {
            throw new BadArgument("id", "is not a player id (a UUID)");
        }
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
    CompletableFuture<Map<String, Map<String, Long>>> wallet(PlayerView player, GraphQLContext request) {
        requireOwnerOrTrusted(player, "wallet");
        return live.wallet(player.playerId(), request)
                .thenApply(w -> Map.of("balances", currencies(w.balances()), "held", currencies(w.held())));
    }

    @SchemaMapping(typeName = "Player")
    CompletableFuture<List<Downstreams.ItemStack>> inventory(PlayerView player, GraphQLContext request) {
        requireOwnerOrTrusted(player, "inventory");
        return live.inventory(player.playerId(), request).thenApply(Downstreams.Inventory::items);
    }

    @SchemaMapping(typeName = "Player")
    CompletableFuture<List<Downstreams.Friend>> friends(PlayerView player, GraphQLContext request) {
        requireOwnerOrTrusted(player, "friends");
        return live.friends(player.playerId(), request);
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

    /** An argument that cannot name anything; classified BAD_REQUEST, naming the argument only. */
    static class BadArgument extends RuntimeException {

        BadArgument(String argument, String problem) {
            super(argument + " " + problem, null, false, false);
        }
    }

    /** A private field asked for by someone who may not see it. */
    static class HiddenField extends RuntimeException {

        HiddenField(String field) {
            super(field + " is visible only to the player, game servers and admins");
        }
    }
}
