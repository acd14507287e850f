package dev.bulwark.social.guild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.bulwark.social.guild.GuildRefusal.Reason;
import dev.bulwark.social.guild.GuildRules.Promotion;
import dev.bulwark.social.guild.Guilds.Member;
import dev.bulwark.social.guild.Guilds.Role;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The guild rules alone, no database: who may promote, demote and remove whom (every pair of
 * roles), the member cap, one guild per player, charter names, and who leads when the leader
 * leaves.
 */
class GuildRulesTests {

    @Test
    void onlyLeadersAndOfficersManage() {
        assertThat(GuildRules.requireManager(Role.LEADER)).isEqualTo(Role.LEADER);
        assertThat(GuildRules.requireManager(Role.OFFICER)).isEqualTo(Role.OFFICER);
        for (Role outsider : Arrays.asList(Role.MEMBER, Role.JOIN_REQUEST, null)) {
            assertRefused(() -> GuildRules.requireManager(outsider), Reason.FORBIDDEN);
        }
        assertThatCode(() -> GuildRules.requireLeader(Role.LEADER)).doesNotThrowAnyException();
        for (Role notLeader : Arrays.asList(Role.OFFICER, Role.MEMBER, Role.JOIN_REQUEST, null)) {
            assertRefused(() -> GuildRules.requireLeader(notLeader), Reason.FORBIDDEN);
        }
    }

    @Test
    void managersMakeOfficersAndOnlyTheLeaderHandsOverLeadership() {
        assertThat(GuildRules.promotion(Role.LEADER, Role.MEMBER)).isEqualTo(Promotion.TO_OFFICER);
        assertThat(GuildRules.promotion(Role.OFFICER, Role.MEMBER)).isEqualTo(Promotion.TO_OFFICER);
        assertThat(GuildRules.promotion(Role.LEADER, Role.OFFICER)).isEqualTo(Promotion.HAND_OVER);
        assertRefused(() -> GuildRules.promotion(Role.OFFICER, Role.OFFICER), Reason.FORBIDDEN);
        for (Role manager : List.of(Role.LEADER, Role.OFFICER)) {
            assertRefused(() -> GuildRules.promotion(manager, Role.LEADER), Reason.CANNOT_PROMOTE);
            assertRefused(() -> GuildRules.promotion(manager, Role.JOIN_REQUEST), Reason.CANNOT_PROMOTE);
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void nobodyButAManagerPromotesWhateverTheTarget(Role target) {
        for (Role actor : Arrays.asList(Role.MEMBER, Role.JOIN_REQUEST, null)) {
            assertRefused(() -> GuildRules.promotion(actor, target), Reason.FORBIDDEN);
        }
    }

    @Test
    void theLeaderDemotesAnyOfficerAndAnOfficerOnlyStepsDown() {
        assertThatCode(() -> GuildRules.checkDemotion(Role.LEADER, Role.OFFICER, false)).doesNotThrowAnyException();
        assertThatCode(() -> GuildRules.checkDemotion(Role.OFFICER, Role.OFFICER, true)).doesNotThrowAnyException();
        assertRefused(() -> GuildRules.checkDemotion(Role.OFFICER, Role.OFFICER, false), Reason.FORBIDDEN);
        assertRefused(() -> GuildRules.checkDemotion(Role.MEMBER, Role.OFFICER, false), Reason.FORBIDDEN);
        for (Role notOfficer : List.of(Role.LEADER, Role.MEMBER, Role.JOIN_REQUEST)) {
            assertRefused(() -> GuildRules.checkDemotion(Role.LEADER, notOfficer, false), Reason.CANNOT_DEMOTE);
            assertRefused(() -> GuildRules.checkDemotion(Role.OFFICER, notOfficer, false), Reason.CANNOT_DEMOTE);
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void anyoneLeavesTheLeaderRemovesAnyoneAndAnOfficerOnlyMembersAndRequests(Role target) {
        assertThatCode(() -> GuildRules.checkRemoval(null, target)).as("leaving").doesNotThrowAnyException();
        assertThatCode(() -> GuildRules.checkRemoval(Role.LEADER, target)).doesNotThrowAnyException();
        if (target == Role.LEADER || target == Role.OFFICER) {
            assertRefused(() -> GuildRules.checkRemoval(Role.OFFICER, target), Reason.FORBIDDEN);
        } else {
            assertThatCode(() -> GuildRules.checkRemoval(Role.OFFICER, target)).doesNotThrowAnyException();
        }
    }

    @Test
    void theCapAdmitsUpToItsSizeAndNeverFallsBelowTheMembers() {
        assertThatCode(() -> GuildRules.requireRoom(49, 50)).doesNotThrowAnyException();
        assertRefused(() -> GuildRules.requireRoom(50, 50), Reason.GUILD_FULL);
        assertRefused(() -> GuildRules.requireRoom(51, 50), Reason.GUILD_FULL);
        assertThatCode(() -> GuildRules.checkCap(12, 12)).doesNotThrowAnyException();
        assertThatCode(() -> GuildRules.checkCap(null, 12)).as("cap unchanged").doesNotThrowAnyException();
        assertRefused(() -> GuildRules.checkCap(11, 12), Reason.CAP_BELOW_MEMBERS);
    }

    @Test
    void aPlayerInAGuildJoinsNoOther() {
        assertThatCode(() -> GuildRules.requireGuildless(false)).doesNotThrowAnyException();
        assertRefused(() -> GuildRules.requireGuildless(true), Reason.ALREADY_IN_A_GUILD);
    }

    @Test
    void charterNamesAreThreeToThirtyTwoPlainCharacters() {
        assertThat(List.of("Iron Wolves", "Łódź 3", "abc", "O'Neil_s-Crew", "x".repeat(32)))
                .allMatch(GuildRules::isValidName);
        assertThat(List.of("", "ab", "x".repeat(33), " Iron", "Iron ", "-Wolves", "Wolves!", "Iron\tWolves"))
                .noneMatch(GuildRules::isValidName);
    }

    @Provide
    Arbitrary<List<Member>> remaining() {
        return Arbitraries.of(Role.OFFICER, Role.MEMBER, Role.JOIN_REQUEST)
                .map(role -> new Member(UUID.randomUUID(), role, Instant.EPOCH)).list().ofMaxSize(12);
    }

    /** {@code remaining} is in order of joining: the first of a role is its oldest. */
    @Property(tries = 200)
    void leadershipPassesToTheOldestOfficerElseTheOldestMemberNeverToARequest(@ForAll("remaining") List<Member> remaining) {
        Optional<UUID> successor = GuildRules.successor(remaining);
        Optional<Member> oldestOfficer = remaining.stream().filter(m -> m.role() == Role.OFFICER).findFirst();
        Optional<Member> oldestMember = remaining.stream().filter(m -> m.role() == Role.MEMBER).findFirst();
        if (oldestOfficer.isPresent()) {
            assertThat(successor).contains(oldestOfficer.get().playerId());
        } else if (oldestMember.isPresent()) {
            assertThat(successor).contains(oldestMember.get().playerId());
        } else {
            assertThat(successor).as("only join requests left: the guild dissolves").isEmpty();
        }
    }

    private static void assertRefused(Runnable rule, Reason reason) {
        assertThatThrownBy(rule::run).isInstanceOfSatisfying(GuildRefusal.class,
                refusal -> assertThat(refusal.reason()).isEqualTo(reason));
    }
}
