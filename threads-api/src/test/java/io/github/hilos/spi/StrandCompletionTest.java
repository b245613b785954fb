package io.github.hilos.spi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrandCompletionTest {

    @Test
    void pollingWithTimeoutsDoesNotGrowTheWaiterStack() throws Exception {
        StrandCompletion completion = new StrandCompletion();
        for (int i = 0; i < 1_000; i++) {
            assertFalse(completion.awaitNanos(1_000));
        }
        assertTrue(completion.nodeCount() <= 1, "nodes left by 1000 timed-out joins: " + completion.nodeCount());
        completion.complete();
        assertTrue(completion.awaitNanos(0));
        assertTrue(completion.isDone());
    }

    @Test
    void anInterruptedJoinerThrowsAndLeavesACancelledNode() {
        StrandCompletion completion = new StrandCompletion();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, completion::await);
        assertFalse(Thread.currentThread().isInterrupted(), "the status is cleared");
        assertEquals(0, completion.nodeCount(), "interrupted before waiting: nothing was pushed");
    }
}
