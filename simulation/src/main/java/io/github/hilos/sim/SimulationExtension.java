package io.github.hilos.sim;

import io.github.hilos.api.StrandRuntime;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Runs a {@link SimulationTest} method as the body of each explored schedule, with the schedule's runtime as its
 * argument. Registered by the annotation; not used directly.
 */
public final class SimulationExtension implements InvocationInterceptor, ParameterResolver {

    /** Made by JUnit. */
    public SimulationExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        return type == StrandRuntime.class || type == SimRuntime.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return null; // replaced by each schedule's runtime in interceptTestMethod
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                    ExtensionContext extension) throws Throwable {
        Method method = context.getExecutable();
        SimulationTest test = method.getAnnotation(SimulationTest.class);
        Object target = context.getTarget().orElse(null);
        invocation.skip();
        Simulation.Settings settings = Simulation.settings();
        for (String setting : test.settings()) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a setting of @SimulationTest is name=value: " + setting);
            }
            settings = settings.with(setting.substring(0, eq).strip(), setting.substring(eq + 1).strip());
        }
        method.setAccessible(true);
        int runtimeArgument = -1;
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i] == StrandRuntime.class || types[i] == SimRuntime.class) {
                runtimeArgument = i;
            }
        }
        Object[] arguments = context.getArguments().toArray();
        int slot = runtimeArgument;
        settings.explore(test.schedules(), runtime -> {
            Object[] args = arguments.clone();
            if (slot >= 0) {
                args[slot] = runtime;
            }
            try {
                method.invoke(target, args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Exception ex) {
                    throw ex;
                }
                throw (Error) e.getCause();
            }
            return null;
        });
    }
}
