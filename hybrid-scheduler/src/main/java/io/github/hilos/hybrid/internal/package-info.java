/**
 * The M:N scheduler of runtime {@code hybrid}: {@link io.github.hilos.hybrid.internal.WorkStealing} (the placement),
 * {@link io.github.hilos.hybrid.internal.StealQueue} (a Chase-Lev deque whose two ends are two types) and
 * {@link io.github.hilos.hybrid.internal.Compensator} (spare carriers). Not exported.
 *
 * <h2>Protocol map</h2>
 * Every cross-thread handshake of M:N scheduling, its fences, and the jcstress test (module stress-tests) or unit
 * test that covers it. The carrier side lives in ult-runtime ({@code Carrier}, {@code UltStrand},
 * {@code PollState}); it is listed here because the handshakes only cross threads with several carriers.
 * <table>
 *   <caption>Cross-thread handshakes</caption>
 *   <tr><th>handshake</th><th>fences</th><th>covered by</th></tr>
 *   <tr><td>waker vs idle carrier (an unpark or a spawn offered to a carrier's wake queue)</td>
 *       <td>the waker offers to the MPSC queue, full fence, reads {@code idle}; the carrier sets {@code idle}
 *       (volatile), re-checks the queue, then selects: a Dekker pair on two volatiles</td>
 *       <td>{@code UltStress.CrossThreadUnpark}, {@code UltStress.CrossCarrierUnpark}</td></tr>
 *   <tr><td>placer vs carrier going idle (a strand placed on the injection queue or a deque)</td>
 *       <td>the placer publishes the strand (queue CAS or release store), full fence, reads the spinning count
 *       and CASes one idle carrier from idle to notified before waking it; the carrier publishes {@code idle},
 *       full fence (volatile store), asks {@code hasWorkFor} before it blocks; a spinner re-checks the queues
 *       every round; a carrier that was idle, adopts work and sees more wakes another, and so does one that
 *       moves many strands to its own deque at once (an overflow batch, a steal of half). The idle flag is alone on
 *       its cache lines ({@code IdleFlag}), and it is the only field of another carrier a placement reads</td>
 *       <td>{@code HybridPlacementStress.BurstWakesIdleCarriers}, {@code BurstPlacementTest}</td></tr>
 *   <tr><td>unpark vs park of one strand</td>
 *       <td>unpark of a strand it sees PARKED CASes it to UNPARKED; otherwise it swaps the permit (full fence)
 *       then reads the state, and the carrier sets PARKED (volatile store) then reads the permit: a Dekker pair;
 *       the winner of the PARKED to UNPARKED CAS queues the strand</td>
 *       <td>{@code ParkUnparkStress}, {@code UltStress.TimerExpiryRacesUnpark}</td></tr>
 *   <tr><td>owner vs thief on a deque</td>
 *       <td>the owner lowers {@code bottom}, full fence, reads {@code top}; a thief reads {@code top}, full fence,
 *       reads {@code bottom}, takes by CAS on {@code top}: the last element goes to one of them</td>
 *       <td>{@code StealQueueStress.OwnerPopsThiefSteals}, {@code StealQueueStress.TwoThieves}</td></tr>
 *   <tr><td>owner's push into a full deque (capacity 2, wrapping around) vs a thief; the owner's overflow drain
 *       (its own stealing end) vs a thief</td>
 *       <td>push reads {@code top} with acquire and writes a slot only below {@code top + capacity}: a slot is
 *       reused only after the thief that read it won its CAS; the drain takes by the thieves' CAS</td>
 *       <td>{@code StealQueueStress.FullQueueWrapsAround}, {@code StealQueueStress.OverflowDrainRacesThief}</td></tr>
 *   <tr><td>socket readiness vs waiter (a strand of one carrier waiting on a socket another carrier polls)</td>
 *       <td>the waiter publishes itself in {@code PollState} (volatile), then re-reads readiness; the poller
 *       publishes readiness (volatile), then re-reads the waiter and unparks it</td>
 *       <td>{@code KeepAliveStressTest} (server-kit, 32 clients x 1 500 exchanges on 4 carriers)</td></tr>
 *   <tr><td>spare retirement vs placement</td>
 *       <td>a spare retires only when idle with nothing bound, its wake queue and timers empty, and
 *       {@code hasWorkFor} false, after publishing nothing new; a placement after that wakes another carrier
 *       (a retired spare's idle flag is never set: it retires awake, after leaving its select cleared the flag, so
 *       no placement claims it; a placement that claimed it in select woke it, and it then sees the work)</td>
 *       <td>{@code HybridPlacementStress.SpareRetirementRacesPlacement}</td></tr>
 *   <tr><td>spawn vs close (the live-strand count, in threads-api's {@code AbstractStrandRuntime})</td>
 *       <td>a spawn adds one to its thread's stripe (volatile), then reads {@code closing}; close sets
 *       {@code closing} (volatile), then sums the stripes: a Dekker pair; after that, every end and every refused
 *       spawn sums again, and the first sum of zero completes the close once</td>
 *       <td>{@code RuntimeCloseStress.SpawnRacesClose}, {@code RuntimeCloseStress.LastTwoEndsRace}</td></tr>
 *   <tr><td>spare start vs shutdown</td>
 *       <td>shutdown stops the compensator and joins its thread before it collects the carriers: no spare starts
 *       after the collection; then it stops and joins every carrier, spare and watchdog</td>
 *       <td>{@code HybridSeamsTest.aSpareStartingDuringShutdownEndsWithTheRuntime},
 *       {@code HybridSeamsTest.concurrentClosesReturnTrueOnlyOnceEveryThreadOfTheRuntimeEnded}</td></tr>
 * </table>
 *
 * <h2>Shutdown, in steps</h2>
 * <ol>
 *   <li>every strand has ended (close waits for that first);</li>
 *   <li>the compensator is stopped and joined: no spare can start from now on;</li>
 *   <li>the watchdogs of base and spare carriers are stopped and joined;</li>
 *   <li>every carrier in a slot, base or spare, is stopped and joined; each wakes its sockets' waiters and
 *       closes its selector on the way out;</li>
 *   <li>the jacket pool is shut down and waited for.</li>
 * </ol>
 */
package io.github.hilos.hybrid.internal;
