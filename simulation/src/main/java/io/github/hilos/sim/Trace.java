package io.github.hilos.sim;

import io.github.hilos.spi.StrandCompletion;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;

/**
 * The schedule of a simulation as it ran: which strand ran, what it waited on, what woke it, at what virtual time.
 * Events are recorded as small records and turned into text only when asked (on a failure, or by a test), so that
 * recording costs little; the last {@link #KEPT} events are kept. Objects are named by kind and order of first
 * appearance in the text ({@code Mutex#2}), which makes the text the same on every replay of a seed.
 */
final class Trace {

    static final int KEPT = 100_000;

    static final int SPAWN = 0;
    static final int RUN = 1;
    static final int PARK = 2;
    static final int WAKE = 3;
    static final int TIMEOUT = 4;
    static final int YIELD = 5;
    static final int END = 6;
    static final int FAIL = 7;
    static final int TIME = 8;
    static final int JACKET = 9;
    static final int NET = 10;

    private record Event(long time, int kind, SimStrand strand, Object a, Object b) {
    }

    private final World world;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private long dropped;
    private final IdentityHashMap<Object, String> names = new IdentityHashMap<>();
    private final java.util.HashMap<String, Integer> counters = new java.util.HashMap<>();

    Trace(World world) {
        this.world = world;
    }

    void add(int kind, SimStrand strand, Object a, Object b) {
        if (events.size() == KEPT) {
            events.removeFirst();
            dropped++;
        }
        events.addLast(new Event(world.now, kind, strand, a, b));
    }

    /** The schedule as lines of text, oldest first; the first line says how many older events were dropped. */
    List<String> lines() {
        List<String> out = new ArrayList<>(events.size() + 1);
        if (dropped > 0) {
            out.add("(" + dropped + " earlier events not kept)");
        }
        for (Event e : events) {
            out.add(format(e));
        }
        return out;
    }

    private String format(Event e) {
        String t = String.format(Locale.ROOT, "%12.6f s  ", (e.time - World.EPOCH) / 1e9);
        String who = e.strand == null ? "" : e.strand.label();
        return t + switch (e.kind) {
            case SPAWN -> (e.strand == null ? "the simulation" : who) + " spawns " + ((SimStrand) e.a).label()
                    + " on " + ((SimStrand) e.a).host.getHostAddress();
            case RUN -> who + " runs";
            case PARK -> who + " parks" + (e.a == null ? "" : e.a instanceof StrandCompletion
                    ? " on the end of " + (e.b == null ? "a strand" : ((SimStrand) e.b).label())
                    : " on " + nameOf(e.a) + (e.b == null ? "" : " held by " + ((SimStrand) e.b).label()));
            case WAKE -> who + " is woken by " + (e.a == null ? "the network" : ((SimStrand) e.a).label());
            case TIMEOUT -> who + " wakes: its timed park expired";
            case YIELD -> who + " yields";
            case END -> who + " ends";
            case FAIL -> "FAILURE: " + e.a;
            case TIME -> "(virtual time moves on: no strand can run)";
            case JACKET -> who + " makes a jacketed call";
            case NET -> (e.strand == null ? "" : who + ": ") + "net: " + e.a;
            default -> "event " + e.kind;
        };
    }

    /** {@code Mutex#2}, {@code the end of #3 worker}, ...: the same name for the same object within a trace. */
    String nameOf(Object o) {
        if (o == null) {
            return "nothing";
        }
        if (o instanceof StrandCompletion c) {
            SimStrand target = world.ownerOf(c);
            return target == null ? "the end of a strand" : "the end of " + target.label();
        }
        if (o instanceof String what) {
            return what; // the runtime's own waits: "a sleep", "the network"
        }
        if (o instanceof SimNetwork.Socket socket) {
            return socket.describe();
        }
        return names.computeIfAbsent(o, k -> {
            String kind = k.getClass().getSimpleName();
            if (kind.isEmpty()) {
                kind = k.getClass().getName();
            }
            int n = counters.merge(kind, 1, Integer::sum);
            return kind + "#" + n;
        });
    }

    /** {@code #3 worker [parked on Mutex#1 held by #2 main]}. */
    String describeState(SimStrand s) {
        return s.label() + " [" + switch (s.state) {
            case SimStrand.PARKED -> {
                Object blocker = s.blocker();
                SimStrand owner = world.ownerOf(blocker);
                yield "parked on " + nameOf(blocker)
                        + (owner == null || blocker instanceof StrandCompletion ? "" : " held by " + owner.label());
            }
            case SimStrand.RUNNABLE -> "runnable";
            case SimStrand.RUNNING -> "running";
            case SimStrand.NEW -> "new";
            default -> "ended";
        } + "]";
    }
}
