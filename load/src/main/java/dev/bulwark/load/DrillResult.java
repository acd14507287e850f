package dev.bulwark.load;

import java.util.ArrayList;
import java.util.List;

/** One drill's outcome: its timeline and every invariant it checked, with the figure found. */
final class DrillResult {

    /** An invariant: what must hold, the figure the run found, the bound, and whether it held. */
    record Invariant(String name, String figure, String bound, boolean passed) {
    }

    final String name;
    final String title;
    final Timeline timeline;
    final List<Invariant> invariants = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    DrillResult(String name, String title, Timeline timeline) {
        this.name = name;
        this.title = title;
        this.timeline = timeline;
    }

    void check(String invariant, Object figure, String bound, boolean passed) {
        invariants.add(new Invariant(invariant, String.valueOf(figure), bound, passed));
    }

    boolean passed() {
        return !invariants.isEmpty() && invariants.stream().allMatch(Invariant::passed);
    }

    static DrillResult notAvailable(String name, String title, String why) {
        DrillResult result = new DrillResult(name, title, null);
        result.notes.add(why);
        return result;
    }

    boolean available() {
        return timeline != null;
    }
}
