package dev.bulwark.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The test command's drills: every available drill's short variant on a stack of this module's own,
 * under the background load, must hold its invariants; and the loot drill, run once more against an
 * economy whose lease fencing is switched off, must report the duplicates, so a drill that passes
 * means something. The report lands in {@code target/drill-report}.
 *
 * <p>Not yet in the default build ({@code -Ddrills=true} runs it): on the shared 2-core machine,
 * under Gatling's 60-player background load, drill 4's core-path bounds broke before any fault
 * was applied (docs/drills.md), which must be understood before the test command depends on it.
 */
class DrillsTest {

    @Test
    @EnabledIfSystemProperty(named = "drills", matches = "true")
    void theShortDrillsHoldTheirInvariantsAndTheLootDrillReportsTheDuplicatesOfAnUnfencedEconomy() throws Exception {
        Drills.Options options = Drills.Options.of(true, Path.of("..").toAbsolutePath().normalize());
        List<DrillResult> results = new ArrayList<>();
        DrillResult unfenced;
        Optional<Path> gatling;
        String load;
        try (Drills.Session session = new Drills.Session(options, line -> System.out.println("[drill] " + line))) {
            for (Drill drill : Drills.AVAILABLE) {
                results.add(session.run(drill));
            }
            session.stack.restartEconomy(Map.of("BULWARK_DRILL_UNFENCED", "true"));
            unfenced = session.run(new PlayerMoveDrill());
            gatling = session.endLoad();
            load = session.loadDescription;
        }
        Report.Run run = new Report.Run(results, Drills.machine(), load, gatling, true);
        Report.write(run, options.reportDirectory());
        System.out.println(Report.markdown(run));

        assertThat(results).allSatisfy(result -> assertThat(result.invariants)
                .as(result.title).isNotEmpty().allMatch(DrillResult.Invariant::passed));
        assertThat(gatling).as("Gatling's report of the background load").isPresent();
        assertThat(unfenced.invariants).as("the loot drill against an unfenced economy")
                .filteredOn(invariant -> invariant.name().startsWith("no kill's loot granted twice"))
                .singleElement().matches(invariant -> !invariant.passed(), "reports the duplicates");
    }
}
