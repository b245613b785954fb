package io.github.hilos.spi;

import io.github.hilos.net.StrandSelector;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The default {@link StrandSelector}: a {@link Selector} whose select blocks the calling thread, which is right
 * where a strand is a thread (kernel threads; virtual threads, which the JDK unmounts or compensates).
 * Not thread-safe but for {@link #wakeup()}.
 */
public final class JdkStrandSelector extends StrandSelector {

    private final Selector selector;

    /**
     * Opens the selector.
     *
     * @throws IOException if it cannot be opened
     */
    public JdkStrandSelector() throws IOException {
        this.selector = Selector.open();
    }

    private static final class JdkKey implements Key {
        final Object attachment;
        SelectionKey key;

        JdkKey(Object attachment) {
            this.attachment = attachment;
        }

        @Override
        public SelectableChannel channel() {
            return key.channel();
        }

        @Override
        public Object attachment() {
            return attachment;
        }

        @Override
        public int interestOps() {
            return key.interestOps();
        }

        @Override
        public void interestOps(int ops) {
            key.interestOps(ops);
        }

        @Override
        public int readyOps() {
            return key.readyOps();
        }

        @Override
        public void cancel() {
            key.cancel();
        }

        @Override
        public boolean isValid() {
            return key.isValid();
        }
    }

    @Override
    public Key register(SelectableChannel channel, int ops, Object attachment) throws IOException {
        JdkKey k = new JdkKey(attachment);
        k.key = channel.register(selector, ops, k);
        return k;
    }

    @Override
    public int select(Duration timeout, Consumer<Key> action) throws IOException {
        long millis = timeout.isNegative() ? 0 : java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(
                Durations.toNanos(timeout, "select timeout")); // saturates, as the JDK's own timeouts do
        Consumer<SelectionKey> each = key -> action.accept((JdkKey) key.attachment());
        if (timeout.isZero() || timeout.isNegative()) {
            return selector.selectNow(each);
        }
        return selector.select(each, millis == 0 ? 1 : millis);
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }
}
