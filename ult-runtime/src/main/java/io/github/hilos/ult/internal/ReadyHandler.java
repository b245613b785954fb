package io.github.hilos.ult.internal;

import java.nio.channels.SelectionKey;

/** What a key of a carrier's selector carries: called by the carrier's poll when the key is ready. */
interface ReadyHandler {

    /**
     * The selector reported {@code key} ready. Carrier thread only.
     *
     * @param key the key
     */
    void onReady(SelectionKey key);
}
