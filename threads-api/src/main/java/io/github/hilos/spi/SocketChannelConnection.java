package io.github.hilos.spi;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * The parts of a {@link NetProvider.Connection} that only delegate to its {@link SocketChannel}; providers
 * implement reading, writing and closing, which is where they differ (blocking, or parking on a poller).
 */
public abstract class SocketChannelConnection implements NetProvider.Connection {

    /** The channel; set once. */
    protected final SocketChannel channel;

    /**
     * Wraps a connected channel.
     *
     * @param channel the channel
     */
    protected SocketChannelConnection(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void shutdownInput() throws IOException {
        channel.shutdownInput();
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        return channel.getLocalAddress();
    }

    @Override
    public SocketAddress remoteAddress() throws IOException {
        return channel.getRemoteAddress();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }
}
