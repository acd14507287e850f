package dev.bulwark.social.guild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.events.Payload;
import dev.bulwark.events.social.GuildMemberJoined;
import dev.bulwark.events.social.GuildMemberLeft;
import dev.bulwark.events.social.GuildRoleChanged;
import dev.bulwark.social.SocialApi;
import dev.bulwark.social.SocialApi.Response;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;

/** Joining, role rules, leaving and the member cap, through the HTTP API. */
@IntegrationTest
class GuildMembershipTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    SocialApi api;
    UUID leader;
    UUID guild;

    @BeforeEach
    void guild() {
        api = new SocialApi(port, jdbc);
        leader = UUID.randomUUID();
        guild = api.createGuild(leader, SocialApi.uniqueName("Guild"));
    }

    @Test
    void fiftyPlayersJoiningAtOnceFillExactlyTheTenFreePlaces() throws Exception {
        assertThat(settings(leader, Map.of("maxMembers", 11)).status()).isEqualTo(200);
        List<UUID> players = IntStream.range(0, 50).mapToObj(i -> UUID.randomUUID()).toList();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Response>> joins;
        try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
            joins = players.stream().map(p -> CompletableFuture.supplyAsync(() -> {
                awaitQuietly(start);
                return join(p);
            }, pool)).toList();
            start.countDown();
        }
        List<Response> responses = joins.stream().map(CompletableFuture::join).toList();

        assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(10);
        assertThat(responses).filteredOn(r -> r.status() == 409)
                .hasSize(40).allSatisfy(r -> assertThat(r.problemType()).isEqualTo("guild-full"));
        assertThat(view(leader).get("members").size()).isEqualTo(11);
        assertThat(jdbc.sql("SELECT count(*) FROM guild_member WHERE guild_id = :g").param("g", guild)
                .query(Integer.class).single()).isEqualTo(11);
        assertThat(SocialApi.socialEvents(guild, 12)).filteredOn(GuildMemberJoined.class::isInstance).hasSize(11);
    }

    @Test
    void aPlayerIsInAtMostOneGuild() {
        UUID player = UUID.randomUUID();
        UUID other = api.createGuild(UUID.randomUUID(), SocialApi.uniqueName("Other"));
        assertThat(join(player).status()).isEqualTo(201);
        assertThat(join(player).status()).as("joining again changes nothing").isEqualTo(201);

        Response second = api.call(player, POST, "/api/v1/guilds/{g}/members", Map.of("playerId", player), other);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.problemType()).isEqualTo("already-in-a-guild");

        Response mine = api.call(UUID.randomUUID(), GET, "/api/v1/players/{p}/guild", null, player);
        assertThat(mine.body().get("guildId").asString()).isEqualTo(guild.toString());
        assertThat(mine.body().get("role").asString()).isEqualTo("MEMBER");
        assertThat(api.call(player, GET, "/api/v1/players/{p}/guild", null, UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void aPlayerJoiningTwoGuildsAtTheSameMomentGetsOne() throws Exception {
        UUID other = api.createGuild(UUID.randomUUID(), SocialApi.uniqueName("Rival"));
        for (int round = 0; round < 5; round++) {
            UUID player = UUID.randomUUID();
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Response>> joins;
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                joins = List.of(guild, other).stream().map(g -> CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(start);
                    return api.call(player, POST, "/api/v1/guilds/{g}/members", Map.of("playerId", player), g);
                }, pool)).toList();
                start.countDown();
            }
            assertThat(joins.stream().map(j -> j.join().status()).toList()).containsExactlyInAnyOrder(201, 409);
            assertThat(jdbc.sql("SELECT count(*) FROM guild_member WHERE player_id = :p").param("p", player)
                    .query(Integer.class).single()).isEqualTo(1);
        }
    }

    @Test
    void joiningOneGuildWhileAnotherApprovesTheRequestAdmitsToOneWithoutAnError() throws Exception {
        UUID closedLeader = UUID.randomUUID();
        UUID closed = api.createGuild(closedLeader, SocialApi.uniqueName("Closed"));
        api.call(closedLeader, PATCH, "/api/v1/guilds/{g}", Map.of("open", false), closed);
        for (int round = 0; round < 5; round++) {
            UUID player = UUID.randomUUID();
            assertThat(api.call(player, POST, "/api/v1/guilds/{g}/members", Map.of("playerId", player), closed).status())
                    .isEqualTo(202);
            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<Response> joined;
            CompletableFuture<Response> approved;
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                joined = CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(start);
                    return join(player);
                }, pool);
                approved = CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(start);
                    return api.call(closedLeader, POST, "/api/v1/guilds/{g}/members/{p}/approve", null, closed, player);
                }, pool);
                start.countDown();
            }
            List<Integer> statuses = List.of(joined.join().status(), approved.join().status());
            assertThat(statuses).as("one admission, the other refused").containsAnyOf(200, 201)
                    .allSatisfy(status -> assertThat(status).isIn(200, 201, 404, 409));
            assertThat(jdbc.sql("SELECT count(*) FROM guild_member WHERE player_id = :p AND role <> 'JOIN_REQUEST'")
                    .param("p", player).query(Integer.class).single()).isEqualTo(1);
        }
    }

    @Test
    void aClosedGuildTakesJoinRequestsThatALeaderOrOfficerApproves() {
        UUID officer = member();
        UUID plainMember = member();
        promote(leader, officer);
        assertThat(settings(leader, Map.of("open", false)).body().get("open").asBoolean()).isFalse();
        UUID applicant = UUID.randomUUID();
        UUID another = UUID.randomUUID();

        Response requested = join(applicant);
        assertThat(requested.status()).isEqualTo(202);
        assertThat(requested.body().get("role").asString()).isEqualTo("JOIN_REQUEST");
        assertThat(api.call(applicant, GET, "/api/v1/players/{p}/guild", null, applicant).status())
                .as("a request is not membership").isEqualTo(404);
        join(another);

        assertThat(approve(plainMember, applicant).status()).as("a member cannot approve").isEqualTo(403);

        Response approved = approve(officer, applicant);
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.body().get("role").asString()).isEqualTo("MEMBER");
        assertThat(approve(leader, another).status()).isEqualTo(200);
        assertThat(approve(leader, UUID.randomUUID()).status()).as("no such request").isEqualTo(404);
    }

    @Test
    void officersPromoteMembersButOnlyTheLeaderHandsOverLeadershipOrDemotesAnotherOfficer() {
        UUID officer = member();
        UUID otherOfficer = member();
        UUID member = member();
        UUID plain = member();
        assertRefused(promote(member, plain), 403, "forbidden");
        assertThat(promote(leader, officer).body().get("role").asString()).isEqualTo("OFFICER");

        Response byOfficer = promote(officer, otherOfficer);
        assertThat(byOfficer.status()).as("an officer promotes a member").isEqualTo(200);
        assertThat(byOfficer.body().get("role").asString()).isEqualTo("OFFICER");
        assertRefused(promote(officer, otherOfficer), 403, "forbidden");
        assertRefused(promote(officer, officer), 403, "forbidden");
        assertRefused(promote(officer, leader), 409, "cannot-promote");
        assertRefused(demote(officer, otherOfficer), 403, "forbidden");
        assertRefused(demote(member, officer), 403, "forbidden");
        assertRefused(demote(officer, leader), 409, "cannot-demote");
        assertRefused(demote(leader, member), 409, "cannot-demote");
        var untouched = view(leader);
        assertThat(untouched.get("leaderId").asString()).isEqualTo(leader.toString());
        assertThat(roleIn(untouched, otherOfficer)).isEqualTo("OFFICER");

        assertThat(demote(officer, officer).body().get("role").asString()).as("an officer steps down").isEqualTo("MEMBER");
        assertThat(demote(leader, otherOfficer).body().get("role").asString()).isEqualTo("MEMBER");

        assertThat(roleChanges(10)).as("refused attempts publish nothing").containsExactly(
                tuple(officer, "OFFICER"), tuple(otherOfficer, "OFFICER"),
                tuple(officer, "MEMBER"), tuple(otherOfficer, "MEMBER"));
    }

    @Test
    void managingSomeoneWhoIsNotAMemberOrAGuildThatDoesNotExistIsNotFoundAndChangesNothing() {
        UUID officer = member();
        UUID member = member();
        promote(leader, officer);
        UUID elsewhere = UUID.randomUUID();
        UUID elsewhereGuild = api.createGuild(elsewhere, SocialApi.uniqueName("Elsewhere"));
        long version = view(leader).get("version").asLong();
        List<Map<String, Object>> rows = memberRows(elsewhereGuild);

        for (UUID stranger : List.of(UUID.randomUUID(), elsewhere)) {
            for (UUID actor : List.of(leader, officer)) {
                assertRefused(approve(actor, stranger), 404, "not-found");
                assertRefused(promote(actor, stranger), 404, "not-found");
                assertRefused(demote(actor, stranger), 404, "not-found");
                assertRefused(kick(actor, stranger), 404, "not-found");
            }
        }
        assertRefused(approve(leader, member), 404, "not-found");

        UUID noGuild = UUID.randomUUID();
        assertRefused(api.call(member, POST, "/api/v1/guilds/{g}/members", Map.of("playerId", member), noGuild),
                404, "not-found");
        for (String action : List.of("approve", "promote", "demote")) {
            assertRefused(api.call(leader, POST, "/api/v1/guilds/{g}/members/{p}/" + action, null, noGuild, member),
                    404, "not-found");
        }
        assertRefused(api.call(leader, DELETE, "/api/v1/guilds/{g}/members/{p}", null, noGuild, member), 404, "not-found");
        assertRefused(api.call(leader, PATCH, "/api/v1/guilds/{g}", Map.of("open", false), noGuild), 404, "not-found");
        assertRefused(api.call(leader, GET, "/api/v1/guilds/{g}", null, noGuild), 404, "not-found");

        assertThat(memberRows(elsewhereGuild)).as("no membership row written or changed").isEqualTo(rows);
        assertThat(view(leader).get("version").asLong()).isEqualTo(version);
        assertThat(jdbc.sql("SELECT count(*) FROM guild_member WHERE guild_id = :g").param("g", noGuild)
                .query(Integer.class).single()).isZero();
        assertThat(api.call(elsewhere, GET, "/api/v1/players/{p}/guild", null, elsewhere).body().get("role").asString())
                .isEqualTo("LEADER");
    }

    @Test
    void theLeaderCanHandLeadershipToAnOfficer() {
        UUID officer = member();
        promote(leader, officer);
        assertThat(promote(leader, officer).body().get("role").asString()).isEqualTo("LEADER");

        var guildView = view(officer);
        assertThat(guildView.get("leaderId").asString()).isEqualTo(officer.toString());
        assertThat(roleIn(guildView, leader)).isEqualTo("OFFICER");
        assertThat(roleChanges(6)).containsExactly(tuple(officer, "OFFICER"),
                tuple(leader, "OFFICER"), tuple(officer, "LEADER"));
    }

    @Test
    void aMemberCannotKickAndAnOfficerCannotKickTheLeaderOrAnotherOfficer() {
        UUID officer = member();
        UUID otherOfficer = member();
        UUID member = member();
        UUID victim = member();
        promote(leader, officer);
        promote(leader, otherOfficer);

        assertThat(kick(member, victim).status()).isEqualTo(403);
        assertThat(kick(officer, leader).status()).isEqualTo(403);
        assertThat(kick(officer, otherOfficer).status()).isEqualTo(403);
        assertThat(kick(UUID.randomUUID(), victim).status()).as("an outsider").isEqualTo(403);
        assertThat(roleIn(view(leader), victim)).isEqualTo("MEMBER");

        assertThat(kick(officer, victim).status()).isEqualTo(204);
        assertThat(kick(leader, otherOfficer).status()).isEqualTo(204);
        assertThat(kick(leader, UUID.randomUUID()).status()).isEqualTo(404);
        var members = view(leader).get("members");
        assertThat(SocialApi.strings(members, "playerId"))
                .containsExactlyInAnyOrder(leader.toString(), officer.toString(), member.toString());

        List<Payload> events = SocialApi.socialEvents(guild, 10);
        assertThat(events).filteredOn(GuildMemberLeft.class::isInstance).map(GuildMemberLeft.class::cast)
                .extracting(GuildMemberLeft::playerId, GuildMemberLeft::reason)
                .containsExactlyInAnyOrder(tuple(victim, "KICKED"),
                        tuple(otherOfficer, "KICKED"));
    }

    @Test
    void leadershipPassesToTheOldestOfficerElseTheOldestMemberAndTheLastOneOutDissolves() {
        UUID oldestMember = member();
        UUID youngOfficer = member();
        UUID youngestMember = member();
        promote(leader, youngOfficer);

        assertThat(leave(leader).status()).isEqualTo(204);
        assertThat(view(youngOfficer).get("leaderId").asString()).isEqualTo(youngOfficer.toString());

        assertThat(leave(youngOfficer).status()).isEqualTo(204);
        assertThat(view(oldestMember).get("leaderId").asString()).isEqualTo(oldestMember.toString());

        leave(youngestMember);
        assertThat(leave(oldestMember).status()).isEqualTo(204);
        assertThat(api.call(oldestMember, GET, "/api/v1/guilds/{g}", null, guild).status()).isEqualTo(404);

        List<GuildMemberLeft> left = SocialApi.socialEvents(guild, 10).stream()
                .filter(GuildMemberLeft.class::isInstance).map(GuildMemberLeft.class::cast).toList();
        assertThat(left).extracting(GuildMemberLeft::playerId, GuildMemberLeft::newLeaderId, GuildMemberLeft::dissolved)
                .containsExactly(
                        tuple(leader, youngOfficer, false),
                        tuple(youngOfficer, oldestMember, false),
                        tuple(youngestMember, null, false),
                        tuple(oldestMember, null, true));
    }

    @Test
    void theGuildReadsForAnyoneSignedInAndOnlyItsLeaderChangesSettings() {
        UUID member = member();
        String name = view(leader).get("name").asString();
        Response byName = api.call(UUID.randomUUID(), GET, "/api/v1/guilds?name={n}", null, name.toLowerCase());
        assertThat(byName.status()).isEqualTo(200);
        assertThat(byName.body().get("guildId").asString()).isEqualTo(guild.toString());
        assertThat(api.call(TestKeys.primary().gameServerToken("gs-1"), GET, "/api/v1/guilds/{g}", null, guild)
                .status()).isEqualTo(200);
        assertThat(api.call((String) null, GET, "/api/v1/guilds/{g}", null, guild).status()).isEqualTo(401);
        assertThat(api.call(UUID.randomUUID(), GET, "/api/v1/guilds/{g}", null, UUID.randomUUID()).status()).isEqualTo(404);

        assertThat(settings(member, Map.of("open", false)).status()).isEqualTo(403);
        assertThat(settings(leader, Map.of("maxMembers", 1)).problemType()).isEqualTo("cap-below-members");
        assertThat(settings(leader, Map.of("maxMembers", 501)).status()).isEqualTo(400);
        assertThat(api.call(UUID.randomUUID(), POST, "/api/v1/guilds/{g}/members", Map.of("playerId", member), guild)
                .status()).as("joining for someone else").isEqualTo(403);
    }

    /** The guild's role changes in stream order, as (player, role), once {@code total} events are out. */
    private List<Tuple> roleChanges(int total) {
        return SocialApi.socialEvents(guild, total).stream().filter(GuildRoleChanged.class::isInstance)
                .map(GuildRoleChanged.class::cast)
                .map(c -> tuple(c.playerId(), c.role())).toList();
    }

    private UUID member() {
        UUID player = UUID.randomUUID();
        assertThat(join(player).status()).isEqualTo(201);
        return player;
    }

    private Response join(UUID player) {
        return api.call(player, POST, "/api/v1/guilds/{g}/members", Map.of("playerId", player), guild);
    }

    private Response approve(UUID actor, UUID player) {
        return api.call(actor, POST, "/api/v1/guilds/{g}/members/{p}/approve", null, guild, player);
    }

    private Response promote(UUID actor, UUID player) {
        return api.call(actor, POST, "/api/v1/guilds/{g}/members/{p}/promote", null, guild, player);
    }

    private Response demote(UUID actor, UUID player) {
        return api.call(actor, POST, "/api/v1/guilds/{g}/members/{p}/demote", null, guild, player);
    }

    private Response kick(UUID actor, UUID player) {
        return api.call(actor, DELETE, "/api/v1/guilds/{g}/members/{p}", null, guild, player);
    }

    private Response leave(UUID player) {
        return kick(player, player);
    }

    private Response settings(UUID actor, Map<String, Object> settings) {
        return api.call(actor, PATCH, "/api/v1/guilds/{g}", settings, guild);
    }

    private tools.jackson.databind.JsonNode view(UUID caller) {
        return api.call(caller, GET, "/api/v1/guilds/{g}", null, guild).body();
    }

    /** This guild's and {@code otherGuild}'s membership rows, in a stable order, to compare before and after. */
    private List<Map<String, Object>> memberRows(UUID otherGuild) {
        return jdbc.sql("""
                SELECT guild_id, player_id, role, since, position FROM guild_member
                WHERE guild_id IN (:g, :other) ORDER BY position""")
                .param("g", guild).param("other", otherGuild).query().listOfRows();
    }

    private static void assertRefused(Response response, int status, String problemType) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.problemType()).isEqualTo(problemType);
    }

    private static String roleIn(tools.jackson.databind.JsonNode guild, UUID player) {
        return guild.get("members").valueStream().filter(m -> m.get("playerId").asString().equals(player.toString()))
                .map(m -> m.get("role").asString()).findFirst().orElse(null);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
