package io.github.hilos.ult.seam;

import java.util.Map;

/** What a runtime offers the {@link Placement} it is made with. */
public interface PlacementContext {

    /**
     * Returns the runtime's settings, as given when it was opened.
     *
     * @return the settings
     */
    Map<String, String> settings();

    /**
     * Returns the number of base carriers.
     *
     * @return N
     */
    int baseCarriers();

    /**
     * Returns the prefix of the runtime's thread names ({@code hilos-hybrid-3}).
     *
     * @return the prefix
     */
    String threadNamePrefix();

    /**
     * Makes a spare carrier for a slot, with a watchdog of its own, not started: it runs the {@code ult} loop,
     * adopts work from the placement, and retires after the idle time {@link Placement#idleLimitNanos} gives it.
     *
     * @param slot its index (N and up)
     * @return the spare
     */
    CarrierView newSpare(int slot);
}
