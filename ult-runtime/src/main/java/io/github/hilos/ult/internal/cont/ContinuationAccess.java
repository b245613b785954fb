package io.github.hilos.ult.internal.cont;

/**
 * Whether this JVM lets Hilos use continuations. Kept apart from {@link StrandContinuation}, which cannot even be
 * loaded without the export, so that the check can run first and fail with a message that names the flag.
 */
public final class ContinuationAccess {

    private ContinuationAccess() {
    }

    /**
     * Tells whether {@code java.base} exports {@code jdk.internal.vm} to this module.
     *
     * @return whether continuations can be used
     */
    public static boolean isAvailable() {
        return Object.class.getModule().isExported("jdk.internal.vm", ContinuationAccess.class.getModule());
    }

    /**
     * Returns the JVM flag that makes continuations available.
     *
     * @return the flag, naming this module (or {@code ALL-UNNAMED} on the class path)
     */
    public static String requiredFlag() {
        Module module = ContinuationAccess.class.getModule();
        return "--add-exports java.base/jdk.internal.vm=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED");
    }
}
