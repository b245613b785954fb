package io.github.hilos.bench;

import io.github.hilos.api.Runtimes;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.net.StrandServerSocket;
import io.github.hilos.net.StrandSocket;
import io.github.hilos.sim.SimRuntime;
import io.github.hilos.sim.Simulation;
import io.github.hilos.sim.SimulationBody;
import io.github.hilos.sync.Mutex;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code hilos simulate}: what deterministic simulation costs. Schedules per second of a test of 10 strands and
 * about 100 switches, beside the same test run on {@code ult} (one ordinary run per schedule); the real time of a
 * one-hour virtual sleep; and whether 100 replays of one seed of a networked test give one trace.
 */
final class SimulateCommand {

    private SimulateCommand() {
    }

    /** 10 strands, each taking a shared mutex 5 times and yielding inside it: about 100 switches. */
    static final SimulationBody<Integer> TEN_STRANDS = runtime -> {
        Mutex lock = new Mutex();
        int[] count = {0};
        List<Strand> strands = new ArrayList<>(10);
        for (int i = 0; i < 10; i++) {
            strands.add(runtime.spawn(() -> {
                for (int k = 0; k < 5; k++) {
                    lock.lock();
                    try {
                        count[0]++;
                        Strand.yield();
                    } finally {
                        lock.unlock();
                    }
                }
            }));
        }
        for (Strand s : strands) {
            s.join();
        }
        if (count[0] != 50) {
            throw new IllegalStateException("count " + count[0]);
        }
        return count[0];
    };

    static void run(List<String> options, PrintStream out, PrintStream err) throws Exception {
        Args args = new Args("simulate", options, Set.of("--schedules"));
        int schedules = args.positiveInt("--schedules", 20_000);
        err.print("\r\u001b[Ksimulating ...");
        long[] steps = {0};
        Simulation.run(1, runtime -> {
            TEN_STRANDS.run(runtime);
            steps[0] = SimRuntime.of(runtime).steps();
            return null;
        });
        double simRate = 0;
        double ultRate = 0;
        try (StrandRuntime ult = Runtimes.open("ult")) {
            for (int round = 0; round < 3; round++) { // the same test, side by side, best of three
                long t0 = System.nanoTime();
                for (int i = 0; i < schedules; i++) {
                    Simulation.run(round * (long) schedules + i, TEN_STRANDS);
                }
                simRate = Math.max(simRate, schedules / ((System.nanoTime() - t0) / 1e9));
                t0 = System.nanoTime();
                for (int i = 0; i < schedules; i++) {
                    ult.run(() -> TEN_STRANDS.run(ult));
                }
                ultRate = Math.max(ultRate, schedules / ((System.nanoTime() - t0) / 1e9));
            }
        }
        long[] hour = new long[1001];
        for (int i = 0; i < hour.length; i++) {
            long t0 = System.nanoTime();
            Simulation.run(i, runtime -> {
                Strand.sleep(Duration.ofHours(1));
                return null;
            });
            hour[i] = System.nanoTime() - t0;
        }
        Arrays.sort(hour);
        List<String> first = Simulation.run(42, SimulateCommand::networked);
        int identical = 0;
        for (int i = 0; i < 100; i++) {
            if (first.equals(Simulation.run(42, SimulateCommand::networked))) {
                identical++;
            }
        }
        err.print("\r\u001b[K");
        out.printf(Locale.ROOT, "simulation of 10 strands, %d steps a schedule (%d schedules, best of 3):%n",
                steps[0], schedules);
        out.printf(Locale.ROOT, "  sim  %,10.0f schedules/s%n", simRate);
        out.printf(Locale.ROOT, "  ult  %,10.0f runs/s of the same test (no exploration, no trace)%n", ultRate);
        out.printf(Locale.ROOT, "  sim/ult %.2fx%n", simRate / ultRate);
        out.printf(Locale.ROOT, "one hour of virtual sleep: %.1f us real (median of %d; p99 %.1f us)%n",
                hour[hour.length / 2] / 1e3, hour.length, hour[hour.length * 99 / 100] / 1e3);
        out.printf(Locale.ROOT, "replays of seed 42 (echo over the simulated network, %d trace lines): %d of 100"
                + " identical%n", first.size(), identical);
    }

    /** Three clients echo through a server on the simulated network; returns the trace. */
    static List<String> networked(StrandRuntime runtime) throws Exception {
        SimRuntime sim = SimRuntime.of(runtime);
        StrandServerSocket listener = StrandServerSocket.bind(new InetSocketAddress("127.0.0.1", 0));
        runtime.spawnThrowing("server", () -> {
            for (;;) {
                StrandSocket c = listener.accept();
                runtime.spawnThrowing("echo", () -> {
                    try (c) {
                        ByteBuffer buf = ByteBuffer.allocate(64);
                        while (c.read(buf.clear()) >= 0) {
                            c.write(buf.flip());
                        }
                    }
                });
            }
        });
        List<Strand> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(sim.spawnOn("10.0.0." + (2 + i), "client-" + i, () -> {
                try (StrandSocket s = StrandSocket.connect(listener.localAddress())) {
                    for (int k = 0; k < 5; k++) {
                        s.write(ByteBuffer.wrap(new byte[] {(byte) k}));
                        ByteBuffer one = ByteBuffer.allocate(1);
                        while (one.hasRemaining()) {
                            s.read(one);
                        }
                    }
                }
            }));
        }
        for (Strand c : clients) {
            c.join();
        }
        return sim.trace();
    }
}
