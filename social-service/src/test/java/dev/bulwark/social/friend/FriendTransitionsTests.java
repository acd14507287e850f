package dev.bulwark.social.friend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.events.social.FriendshipChanged;
import dev.bulwark.social.SocialApi;
import dev.bulwark.social.SocialApi.Response;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;

/** Every friend transition, legal and illegal, through the HTTP API on real PostgreSQL and Kafka. */
@IntegrationTest
class FriendTransitionsTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    SocialApi api;
    UUID ayla;
    UUID bren;

    @BeforeEach
    void players() {
        api = new SocialApi(port, jdbc);
        List<UUID> players = api.knownPlayers(2);
        ayla = players.get(0);
        bren = players.get(1);
    }

    @Test
    void aRequestIsAnInvitationOnBothSidesAndRequestingBackAccepts() {
        Response sent = request(ayla, bren);
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.body().get("state").asString()).isEqualTo("INVITE_SENT");
        assertThat(stateOf(ayla, bren)).isEqualTo("INVITE_SENT");
        assertThat(stateOf(bren, ayla)).isEqualTo("INVITE_RECEIVED");

        assertThat(request(ayla, bren).body().get("state").asString()).as("a repeat changes nothing").isEqualTo("INVITE_SENT");

        assertThat(request(bren, ayla).body().get("state").asString()).isEqualTo("FRIEND");
        assertThat(stateOf(ayla, bren)).isEqualTo("FRIEND");
        assertThat(stateOf(bren, ayla)).isEqualTo("FRIEND");

        assertThat(SocialApi.socialEvents(ayla, 2)).usingRecursiveFieldByFieldElementComparatorIgnoringFields("changedAt").containsExactly(
                changed(ayla, bren, "INVITE_SENT"), changed(ayla, bren, "FRIEND"));
        assertThat(SocialApi.socialEvents(bren, 2)).usingRecursiveFieldByFieldElementComparatorIgnoringFields("changedAt").containsExactly(
                changed(bren, ayla, "INVITE_RECEIVED"), changed(bren, ayla, "FRIEND"));
        api.call(bren, PUT, "/api/v1/players/{p}/blocks/{o}", null, bren, ayla);
        assertThat(SocialApi.socialEvents(ayla, 3)).last().usingRecursiveComparison().ignoringFields("changedAt")
                .isEqualTo(changed(ayla, bren, "NONE"));
        assertThat(SocialApi.socialEvents(bren, 3)).last().usingRecursiveComparison().ignoringFields("changedAt")
                .isEqualTo(changed(bren, ayla, "BLOCKED"));
    }

    @Test
    void anInvitationCanBeAcceptedExplicitlyButNotWithoutOne() {
        Response noInvitation = api.call(bren, POST, "/api/v1/players/{p}/friends/{f}/accept", null, bren, ayla);
        assertThat(noInvitation.status()).isEqualTo(409);
        assertThat(noInvitation.problemType()).isEqualTo("no-invitation");
        assertThat(stateOf(bren, ayla)).isNull();

        request(ayla, bren);
        Response senderAccepting = api.call(ayla, POST, "/api/v1/players/{p}/friends/{f}/accept", null, ayla, bren);
        assertThat(senderAccepting.status()).as("the sender cannot accept their own invitation").isEqualTo(409);

        Response accepted = api.call(bren, POST, "/api/v1/players/{p}/friends/{f}/accept", null, bren, ayla);
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(stateOf(ayla, bren)).isEqualTo("FRIEND");
        assertThat(stateOf(bren, ayla)).isEqualTo("FRIEND");
    }

    @Test
    void declineWithdrawAndRemoveLeaveStrangers() {
        request(ayla, bren);
        assertThat(remove(bren, ayla)).as("decline").isEqualTo(204);
        assertThat(stateOf(ayla, bren)).isNull();
        assertThat(stateOf(bren, ayla)).isNull();

        request(ayla, bren);
        assertThat(remove(ayla, bren)).as("withdraw").isEqualTo(204);
        assertThat(stateOf(bren, ayla)).isNull();

        request(ayla, bren);
        request(bren, ayla);
        assertThat(remove(bren, ayla)).as("unfriend").isEqualTo(204);
        assertThat(stateOf(ayla, bren)).isNull();
        assertThat(stateOf(bren, ayla)).isNull();

        assertThat(remove(bren, ayla)).as("nothing left to remove").isEqualTo(404);
    }

    @Test
    void aBlockEndsAFriendshipAndRefusesRequestsBothWays() {
        request(ayla, bren);
        request(bren, ayla);

        Response blocked = api.call(ayla, PUT, "/api/v1/players/{p}/blocks/{o}", null, ayla, bren);
        assertThat(blocked.status()).isEqualTo(200);
        assertThat(stateOf(ayla, bren)).isEqualTo("BLOCKED");
        assertThat(stateOf(bren, ayla)).as("the blocked player sees nothing").isNull();

        Response fromBlocked = request(bren, ayla);
        assertThat(fromBlocked.status()).as("befriend someone who blocked you").isEqualTo(409);
        assertThat(fromBlocked.problemType()).isEqualTo("blocked");
        Response fromBlocker = request(ayla, bren);
        assertThat(fromBlocker.status()).as("befriend someone you blocked").isEqualTo(409);
        assertThat(api.call(ayla, DELETE, "/api/v1/players/{p}/friends/{f}", null, ayla, bren).status())
                .as("a block is lifted by unblocking, not by removing").isEqualTo(409);
        assertThat(stateOf(ayla, bren)).isEqualTo("BLOCKED");
        assertThat(stateOf(bren, ayla)).isNull();

        assertThat(api.call(ayla, DELETE, "/api/v1/players/{p}/blocks/{o}", null, ayla, bren).status()).isEqualTo(204);
        assertThat(stateOf(ayla, bren)).isNull();
        assertThat(api.call(ayla, DELETE, "/api/v1/players/{p}/blocks/{o}", null, ayla, bren).status())
                .as("not blocked any more").isEqualTo(404);
        assertThat(request(bren, ayla).body().get("state").asString()).isEqualTo("INVITE_SENT");
    }

    @Test
    void aBlockWinsOverAPendingInvitationAndBothMayBlockEachOther() {
        request(bren, ayla);
        api.call(ayla, PUT, "/api/v1/players/{p}/blocks/{o}", null, ayla, bren);
        assertThat(stateOf(bren, ayla)).as("the invitation is gone").isNull();

        api.call(bren, PUT, "/api/v1/players/{p}/blocks/{o}", null, bren, ayla);
        assertThat(stateOf(ayla, bren)).isEqualTo("BLOCKED");
        assertThat(stateOf(bren, ayla)).isEqualTo("BLOCKED");

        api.call(ayla, DELETE, "/api/v1/players/{p}/blocks/{o}", null, ayla, bren);
        assertThat(request(ayla, bren).status()).as("the other block still holds").isEqualTo(409);
        assertThat(stateOf(bren, ayla)).isEqualTo("BLOCKED");
    }

    @Test
    void selfUnknownAndOtherPlayersAreRefusedWithProblems() {
        Response self = request(ayla, ayla);
        assertThat(self.status()).isEqualTo(422);
        assertThat(self.problemType()).isEqualTo("self-relation");
        assertThat(api.call(ayla, PUT, "/api/v1/players/{p}/blocks/{o}", null, ayla, ayla).status()).isEqualTo(422);

        Response unknown = request(ayla, UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.problemType()).isEqualTo("not-found");

        Response forSomeoneElse = api.call(bren, POST, "/api/v1/players/{p}/friends", Map.of("friendId", bren), ayla);
        assertThat(forSomeoneElse.status()).isEqualTo(403);
        assertThat(api.call(TestKeys.primary().gameServerToken("gs-1"), GET, "/api/v1/players/{p}/friends", null, ayla)
                .status()).as("game servers read friends, as the player query shows them").isEqualTo(200);
        assertThat(api.call(TestKeys.primary().playerToken(UUID.randomUUID()), GET, "/api/v1/players/{p}/friends", null,
                ayla).status()).as("another player does not").isEqualTo(403);
        assertThat(api.call((String) null, GET, "/api/v1/players/{p}/friends", null, ayla).status()).isEqualTo(401);

        Response missingField = api.call(ayla, POST, "/api/v1/players/{p}/friends", Map.of(), ayla);
        assertThat(missingField.status()).isEqualTo(400);
        Response unknownField = api.call(ayla, POST, "/api/v1/players/{p}/friends",
                Map.of("friendId", bren, "note", "hi"), ayla);
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(stateOf(ayla, bren)).isNull();
    }

    @Test
    void aPlayerNeverSeenInPlayerRegisteredIsNotFoundEitherWayAndNoRelationIsWritten() {
        UUID stranger = UUID.randomUUID();
        List<Response> refused = List.of(
                request(ayla, stranger),
                api.call(ayla, POST, "/api/v1/players/{p}/friends/{f}/accept", null, ayla, stranger),
                api.call(ayla, PUT, "/api/v1/players/{p}/blocks/{o}", null, ayla, stranger),
                api.call(ayla, DELETE, "/api/v1/players/{p}/friends/{f}", null, ayla, stranger),
                api.call(ayla, DELETE, "/api/v1/players/{p}/blocks/{o}", null, ayla, stranger),
                request(stranger, ayla),
                api.call(stranger, PUT, "/api/v1/players/{p}/blocks/{o}", null, stranger, ayla));
        assertThat(refused).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.problemType()).isEqualTo("not-found");
        });
        assertThat(jdbc.sql("SELECT count(*) FROM friend_relation WHERE :p IN (player_id, other_id)")
                .param("p", stranger).query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM friend_relation WHERE :p IN (player_id, other_id)")
                .param("p", ayla).query(Integer.class).single()).isZero();
        assertThat(api.call(ayla, GET, "/api/v1/players/{p}/friends", null, ayla).body().size()).isZero();
    }

    @Test
    void oppositeRequestsAtTheSameMomentEndAsFriends() throws Exception {
        List<UUID> players = api.knownPlayers(20);
        CyclicBarrier barrier = new CyclicBarrier(20);
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i += 2) {
                UUID a = players.get(i);
                UUID b = players.get(i + 1);
                calls.add(CompletableFuture.supplyAsync(() -> awaitThen(barrier, () -> request(a, b).status()), pool));
                calls.add(CompletableFuture.supplyAsync(() -> awaitThen(barrier, () -> request(b, a).status()), pool));
            }
            assertThat(calls).allSatisfy(call -> assertThat(call.get()).isEqualTo(200));
        }
        for (int i = 0; i < 20; i += 2) {
            assertThat(stateOf(players.get(i), players.get(i + 1))).isEqualTo("FRIEND");
            assertThat(stateOf(players.get(i + 1), players.get(i))).isEqualTo("FRIEND");
        }
    }

    @Test
    void theListFiltersByStateAndPagesWithACursor() {
        List<UUID> others = api.knownPlayers(5);
        for (UUID other : others) {
            request(ayla, other);
        }
        request(others.get(0), ayla);
        request(bren, ayla);

        Response invites = api.call(ayla, GET, "/api/v1/players/{p}/friends?state=INVITE_SENT&limit=2", null, ayla);
        assertThat(invites.body().size()).isEqualTo(2);
        List<String> seen = new ArrayList<>(List.of(SocialApi.strings(invites.body(), "playerId")));
        String next = invites.headers().getFirst("Link");
        while (next != null) {
            String url = next.substring(next.indexOf('<') + 1, next.indexOf('>'));
            Response page = api.call(ayla, GET, url.substring(url.indexOf("/api")), null);
            seen.addAll(List.of(SocialApi.strings(page.body(), "playerId")));
            next = page.headers().getFirst("Link");
        }
        assertThat(seen).containsExactlyElementsOf(others.subList(1, 5).stream().map(UUID::toString).sorted().toList());

        Response friends = api.call(ayla, GET, "/api/v1/players/{p}/friends?state=FRIEND", null, ayla);
        assertThat(SocialApi.strings(friends.body(), "playerId")).containsExactly(others.get(0).toString());
        Response received = api.call(ayla, GET, "/api/v1/players/{p}/friends?state=INVITE_RECEIVED", null, ayla);
        assertThat(SocialApi.strings(received.body(), "playerId")).containsExactly(bren.toString());
        assertThat(api.call(ayla, GET, "/api/v1/players/{p}/friends", null, ayla).body().size()).isEqualTo(6);
        assertThat(api.call(ayla, GET, "/api/v1/players/{p}/friends?state=ENEMY", null, ayla).status()).isEqualTo(400);
    }

    private static <T> T awaitThen(CyclicBarrier barrier, java.util.function.Supplier<T> call) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return call.get();
    }

    private Response request(UUID player, UUID other) {
        return api.call(player, POST, "/api/v1/players/{p}/friends", Map.of("friendId", other), player);
    }

    private int remove(UUID player, UUID other) {
        return api.call(player, DELETE, "/api/v1/players/{p}/friends/{f}", null, player, other).status();
    }

    private String stateOf(UUID player, UUID other) {
        return jdbc.sql("SELECT state FROM friend_relation WHERE player_id = :p AND other_id = :o")
                .param("p", player).param("o", other).query(String.class).optional().orElse(null);
    }

    /** Compares all but the time, which the test cannot know. */
    private static FriendshipChanged changed(UUID player, UUID other, String state) {
        return new FriendshipChanged(player, other, state, null);
    }
}
