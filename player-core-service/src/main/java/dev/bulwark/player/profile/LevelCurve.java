package dev.bulwark.player.profile;

/**
 * The level curve: reaching level {@code L} takes {@code 50 · L · (L − 1)} experience in total,
 * so each level costs 100 more than the one before (level 2 at 100, 3 at 300, 4 at 600, 10 at
 * 4,500, 100 at 495,000). Levels stop at {@value #MAX_LEVEL}; experience keeps counting.
 */
final class LevelCurve {

    public static final int MAX_LEVEL = 100;

    private LevelCurve() {
    }

    /** Total experience needed to reach {@code level}. */
    public static long experienceFor(int level) {
        if (level < 1 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("level must be 1.." + MAX_LEVEL + ", was " + level);
        }
        return 50L * level * (level - 1);
    }

    /** The level a player with this much experience has. */
    public static int levelFor(long experience) {
        if (experience < 0) {
            throw new IllegalArgumentException("experience cannot be negative: " + experience);
        }
        // Solve 50·L·(L−1) ≤ xp for the largest L, then correct the floating-point estimate.
        int level = (int) Math.min(MAX_LEVEL, Math.floor((1 + Math.sqrt(1 + experience / 12.5)) / 2));
        while (level < MAX_LEVEL && experienceFor(level + 1) <= experience) {
            level++;
        }
        while (level > 1 && experienceFor(level) > experience) {
            level--;
        }
        return level;
    }

    /** Experience at which the next level starts, or null at the top level. */
    public static Long nextLevelAt(int level) {
        return level >= MAX_LEVEL ? null : experienceFor(level + 1);
    }
}
