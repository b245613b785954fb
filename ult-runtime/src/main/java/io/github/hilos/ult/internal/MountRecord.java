package io.github.hilos.ult.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the watchdog needs to see from a carrier: which strand is mounted, and a switch count that tells a strand
 * that ran long from one that keeps getting re-mounted. Written by the carrier at every switch with release
 * stores (cheap on the hot path: no clock read), read by samplers with acquire loads. A sampler measures how
 * long a mount lasted from the first sample that saw its switch count, so a stall is
 * seen within one sampling period of the threshold
 * ({@link io.github.hilos.ult.seam.StallClock}).
 */
final class MountRecord {

    private static final VarHandle STRAND;
    private static final VarHandle SWITCHES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STRAND = lookup.findVarHandle(MountRecord.class, "strand", UltStrand.class);
            SWITCHES = lookup.findVarHandle(MountRecord.class, "switches", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private UltStrand strand;
    @SuppressWarnings("unused")
    private long switches;

    /** Carrier: a strand is being mounted. */
    void mounted(UltStrand s) {
        STRAND.setRelease(this, s);
        SWITCHES.setRelease(this, (long) SWITCHES.get(this) + 1);
    }

    /** Carrier: the strand unmounted. */
    void unmounted() {
        STRAND.setRelease(this, (UltStrand) null);
    }

    UltStrand strand() {
        return (UltStrand) STRAND.getAcquire(this);
    }

    long switches() {
        return (long) SWITCHES.getAcquire(this);
    }
}
