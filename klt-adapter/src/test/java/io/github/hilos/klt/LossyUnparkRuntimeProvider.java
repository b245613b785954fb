package io.github.hilos.klt;

import io.github.hilos.api.RuntimeOptions;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.spi.RuntimeProvider;

/**
 * A deliberately broken runtime, {@code klt-lossy-unpark}: an unpark that arrives while the strand is not parked
 * is dropped instead of leaving a permit. Only for {@link TckCatchesBrokenParkTest}.
 */
public final class LossyUnparkRuntimeProvider implements RuntimeProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public LossyUnparkRuntimeProvider() {
    }

    @Override
    public String name() {
        return "klt-lossy-unpark";
    }

    @Override
    public StrandRuntime open(RuntimeOptions options) {
        return new JdkThreadRuntime(name(), options, Thread::ofPlatform) {
            @Override
            JdkThreadStrand newStrand(Thread thread) {
                return new JdkThreadStrand(this, thread) {
                    private volatile boolean parked;

                    @Override
                    protected void parkSelf() {
                        parked = true;
                        try {
                            super.parkSelf();
                        } finally {
                            parked = false;
                        }
                    }

                    @Override
                    public void unpark() {
                        if (parked) {
                            super.unpark();
                        }
                    }
                };
            }
        };
    }
}
