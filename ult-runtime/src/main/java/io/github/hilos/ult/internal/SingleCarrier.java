package io.github.hilos.ult.internal;

import io.github.hilos.ult.seam.CarrierView;
import io.github.hilos.ult.seam.Placement;
import io.github.hilos.ult.seam.Unstarted;

import java.util.List;

/**
 * The placement of an N:1 runtime: every strand goes to its one carrier; nothing to steal, no spare, no limit on
 * spinning.
 */
final class SingleCarrier implements Placement {

    private Carrier carrier;

    @Override
    public void attach(List<? extends CarrierView> carriers) {
        if (carriers.size() != 1) {
            throw new IllegalArgumentException("an N:1 runtime has one carrier, not " + carriers.size());
        }
        this.carrier = (Carrier) carriers.getFirst();
    }

    @Override
    public void place(Unstarted strand, CarrierView caller) {
        carrier.submitSpawned((UltStrand) strand);
    }

    @Override
    public Unstarted take(CarrierView c) {
        return null;
    }

    @Override
    public boolean hasWorkFor(CarrierView c) {
        return false;
    }

    @Override
    public void wakeAnother(CarrierView finder) {
    }

    @Override
    public boolean tryStartSpinning() {
        return true;
    }

    @Override
    public void stopSpinning() {
    }

    @Override
    public List<CarrierView> carriers() {
        return List.of(carrier);
    }

    @Override
    public int queued(int carrierIndex) {
        return 0;
    }

    @Override
    public int injected() {
        return 0;
    }

    @Override
    public long idleLimitNanos(CarrierView c) {
        return 0;
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }

    @Override
    public long compensations() {
        return 0;
    }
}
