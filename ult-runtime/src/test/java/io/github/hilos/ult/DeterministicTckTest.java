package io.github.hilos.ult;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.Runtimes;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.tck.ChannelTck;
import io.github.hilos.tck.SelectTck;
import io.github.hilos.tck.SyncTck;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The TCK's {@code sync}, channel and select tests under the deterministic policy, for several seeds each. A
 * failure names its seed; replay it with the setting {@code policy=deterministic:SEED}.
 */
class DeterministicTckTest {

    /** Seeds per test; raise with -Dhilos.tck.seeds=N for a longer exploration. */
    private static final int SEEDS = Integer.getInteger("hilos.tck.seeds", 16);

    /** The TCK suites, opened under one seed. */
    interface Suites extends SyncTck, ChannelTck, SelectTck {
    }

    @TestFactory
    List<DynamicTest> syncChannelAndSelectUnderManySeeds() {
        List<Method> methods = new ArrayList<>();
        for (Class<?> suite : List.of(SyncTck.class, ChannelTck.class, SelectTck.class)) {
            for (Method m : suite.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ValueSource.class)) {
                    methods.add(m);
                }
            }
        }
        methods.sort(Comparator.comparing(Method::getName));
        List<DynamicTest> tests = new ArrayList<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            long s = seed;
            Suites suites = new Suites() {
                @Override
                public String runtimeName() {
                    return "ult";
                }

                @Override
                public StrandRuntime openRuntime(RuntimeOptions options) {
                    return Runtimes.open("ult", options.with("policy", "deterministic:" + s));
                }
            };
            for (Method m : methods) {
                for (Object[] args : arguments(m)) {
                    String name = "seed " + seed + ": " + m.getName() + (args.length == 0 ? "" : Arrays.toString(args));
                    tests.add(DynamicTest.dynamicTest(name, () -> invoke(suites, m, args, s)));
                }
            }
        }
        return tests;
    }

    private static List<Object[]> arguments(Method m) {
        ValueSource values = m.getAnnotation(ValueSource.class);
        if (values == null) {
            return List.<Object[]>of(new Object[0]);
        }
        List<Object[]> all = new ArrayList<>();
        for (boolean b : values.booleans()) {
            all.add(new Object[] {b});
        }
        for (String str : values.strings()) {
            all.add(new Object[] {str});
        }
        return all;
    }

    private static void invoke(Suites suites, Method m, Object[] args, long seed) throws Throwable {
        try {
            m.invoke(suites, args);
        } catch (InvocationTargetException e) {
            throw new AssertionError(m.getName() + " failed under policy deterministic:" + seed
                    + "; replay with RuntimeOptions.defaults().with(\"policy\", \"deterministic:" + seed + "\")",
                    e.getCause());
        }
    }
}
