package io.github.hilos.ult.seam;

/** Makes the {@link Placement} of an M:N runtime, given what the runtime offers it. */
@FunctionalInterface
public interface PlacementFactory {

    /**
     * Makes the placement.
     *
     * @param context what the runtime offers
     * @return the placement
     * @throws IllegalArgumentException on a bad setting, naming it
     */
    Placement create(PlacementContext context);
}
