package dev.bulwark.economy.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.bulwark.economy.sharding.Shards;

/** The crash drill is a bean only where {@code BULWARK_CRASH_POINT} is set: production runs none of it. */
class CrashPointsTests {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withBean(Shards.class, () -> mock(Shards.class))
            .withUserConfiguration(CrashPoints.class);

    @Test
    void withoutTheSwitchThereIsNoCrashPointBean() {
        context.run(started -> assertThat(started).hasNotFailed().doesNotHaveBean(CrashPoints.class));
    }

    @Test
    void theSwitchArmsANamedPointAndRefusesAnUnknownOne() {
        context.withPropertyValues("BULWARK_CRASH_POINT=saga-after-hold")
                .run(started -> assertThat(started).hasSingleBean(CrashPoints.class));
        context.withPropertyValues("BULWARK_CRASH_POINT=after-lunch")
                .run(started -> assertThat(started).hasFailed());
    }
}
