package dev.bulwark.player.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LevelCurveTests {

    @Test
    void eachLevelCostsAHundredMoreThanTheOneBefore() {
        assertThat(LevelCurve.experienceFor(1)).isZero();
        assertThat(LevelCurve.experienceFor(2)).isEqualTo(100);
        assertThat(LevelCurve.experienceFor(3)).isEqualTo(300);
        assertThat(LevelCurve.experienceFor(4)).isEqualTo(600);
        assertThat(LevelCurve.experienceFor(100)).isEqualTo(495_000);
        for (int level = 2; level < LevelCurve.MAX_LEVEL; level++) {
            long step = LevelCurve.experienceFor(level + 1) - LevelCurve.experienceFor(level);
            long previous = LevelCurve.experienceFor(level) - LevelCurve.experienceFor(level - 1);
            assertThat(step - previous).isEqualTo(100);
        }
    }

    @Test
    void theLevelIsTheHighestWhoseThresholdIsReached() {
        assertThat(LevelCurve.levelFor(0)).isEqualTo(1);
        assertThat(LevelCurve.levelFor(99)).isEqualTo(1);
        assertThat(LevelCurve.levelFor(100)).isEqualTo(2);
        assertThat(LevelCurve.levelFor(299)).isEqualTo(2);
        assertThat(LevelCurve.levelFor(300)).isEqualTo(3);
        for (int level = 1; level <= LevelCurve.MAX_LEVEL; level++) {
            long threshold = LevelCurve.experienceFor(level);
            assertThat(LevelCurve.levelFor(threshold)).isEqualTo(level);
            if (level > 1) {
                assertThat(LevelCurve.levelFor(threshold - 1)).isEqualTo(level - 1);
            }
        }
    }

    @Test
    void levelsStopAtTheTopWhileExperienceKeepsCounting() {
        assertThat(LevelCurve.levelFor(Long.MAX_VALUE / 2)).isEqualTo(LevelCurve.MAX_LEVEL);
        assertThat(LevelCurve.nextLevelAt(LevelCurve.MAX_LEVEL)).isNull();
        assertThat(LevelCurve.nextLevelAt(1)).isEqualTo(100);
        assertThatThrownBy(() -> LevelCurve.levelFor(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
