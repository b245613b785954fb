package io.github.hilos.net;

import io.github.hilos.spi.NetProvider;
import io.github.hilos.spi.StrandCarrier;

/** Picks the socket implementation of the calling strand's runtime. */
final class Sockets {

    private Sockets() {
    }

    static NetProvider provider() {
        if (Thread.currentThread() instanceof StrandCarrier carrier && carrier.currentStrand() != null) {
            return carrier.net();
        }
        return NetProvider.blocking();
    }
}
