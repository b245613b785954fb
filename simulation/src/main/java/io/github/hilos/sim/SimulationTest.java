package io.github.hilos.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A JUnit 5 test run under {@link Simulation#explore}: the method takes the {@code sim} runtime
 * ({@code StrandRuntime} or {@link SimRuntime}) and runs as the body of each schedule.
 *
 * <pre>{@code
 * @SimulationTest(schedules = 1000)
 * void counterIsExact(StrandRuntime runtime) throws Exception { ... }
 * }</pre>
 *
 * A failing schedule fails the test with a {@link SimulationFailure} that names its seed; run the test again with
 * {@code -Dhilos.sim.seed=N} to replay it first.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Test
@ExtendWith(SimulationExtension.class)
public @interface SimulationTest {

    /**
     * How many schedules to explore.
     *
     * @return the count
     */
    int schedules() default 100;

    /**
     * Settings of runtime {@code sim}, each {@code name=value} (for example {@code "strategy=pct"},
     * {@code "switch.points=true"}, {@code "leaks=fail"}).
     *
     * @return the settings
     */
    String[] settings() default {};
}
