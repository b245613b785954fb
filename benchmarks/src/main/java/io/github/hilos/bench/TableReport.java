package io.github.hilos.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Formats the measured table: text, Markdown, JSON, and a log-scale SVG bar chart. */
final class TableReport {

    private static final String[] OPERATIONS = {"null-fork", "signal-wait"};
    private static final String[] LABELS = {"null fork", "signal-wait"};

    private final List<ChapterTable.Row> rows;
    private final Map<String, Map<String, ChapterTable.Row>> table;
    private final Hilos.Machine machine;
    private final List<String> notes;

    TableReport(List<ChapterTable.Row> rows, Hilos.Machine machine, List<String> notes) {
        this.rows = rows;
        this.table = ChapterTable.byOperation(rows);
        this.machine = machine;
        this.notes = notes;
    }

    private boolean has(String operation, String runtime) {
        return table.containsKey(operation) && table.get(operation).containsKey(runtime);
    }

    private double medianMicros(String operation, String runtime) {
        return table.get(operation).get(runtime).samples().median() / 1000.0;
    }

    private static String micros(double us) {
        if (us < 1) {
            return String.format(Locale.ROOT, "%.3f", us);
        }
        if (us < 100) {
            return String.format(Locale.ROOT, "%.2f", us);
        }
        return String.format(Locale.ROOT, "%.0f", us);
    }

    private static String ratio(double r) {
        return r < 10 ? String.format(Locale.ROOT, "%.1fx", r) : String.format(Locale.ROOT, "%.0fx", r);
    }

    String text() {
        StringBuilder out = new StringBuilder();
        out.append("The chapter's table, re-measured: microseconds per operation (median)\n");
        out.append(String.format(Locale.ROOT, "machine: %s, %d cores, JDK %s%n%n", machine.cpu(), machine.cores(), machine.jdk()));
        out.append(String.format(Locale.ROOT, "%-12s", "operation"));
        for (String c : ChapterTable.COLUMNS) {
            out.append(String.format(Locale.ROOT, "%15s", c));
        }
        out.append("   | 1991:   ULT     KLT   process\n");
        for (int i = 0; i < OPERATIONS.length; i++) {
            out.append(String.format(Locale.ROOT, "%-12s", LABELS[i]));
            for (String c : ChapterTable.COLUMNS) {
                out.append(String.format(Locale.ROOT, "%15s", micros(medianMicros(OPERATIONS[i], c))));
            }
            double[] then = ChapterTable.FIRST_TABLE.get(OPERATIONS[i]);
            out.append(String.format(Locale.ROOT, "   |      %6.0f  %6.0f  %8.0f%n", then[0], then[1], then[2]));
        }
        out.append("\nratios, now (ult as the user-level column) and in 1991:\n");
        out.append(String.format(Locale.ROOT, "%-12s %14s %14s %16s %18s %14s %14s%n", "", "klt / ult",
                "process / ult", "jdk-virtual / ult", "jdk-virtual-1 / ult", "1991 KLT/ULT", "1991 proc/ULT"));
        for (int i = 0; i < OPERATIONS.length; i++) {
            String op = OPERATIONS[i];
            double ult = medianMicros(op, "ult");
            double[] then = ChapterTable.FIRST_TABLE.get(op);
            out.append(String.format(Locale.ROOT, "%-12s %14s %14s %16s %18s %14s %14s%n", LABELS[i],
                    ratio(medianMicros(op, "klt") / ult), ratio(medianMicros(op, "process") / ult),
                    ratio(medianMicros(op, "jdk-virtual") / ult), ratio(medianMicros(op, "jdk-virtual-1") / ult),
                    ratio(then[1] / then[0]), ratio(then[2] / then[0])));
        }
        out.append(switchPath());
        out.append("\nspread (min .. max, samples):\n");
        for (ChapterTable.Row r : rows) {
            Samples s = r.samples();
            out.append(String.format(Locale.ROOT, "  %-12s %-12s %s .. %s us (%d)%n", r.operation(), r.runtime(),
                    micros(s.min() / 1000), micros(s.max() / 1000), s.count()));
        }
        return out.toString();
    }

    /**
     * The user-level switch path beside its floor (raw continuations) and Go on one OS thread, as ratios within
     * this run, with the targets Hilos holds itself to.
     */
    String switchPath() {
        StringBuilder out = new StringBuilder("\nthe switch path, against raw continuations and Go (GOMAXPROCS=1), same run:\n");
        boolean go = has("null-fork", GoPeer.COLUMN);
        out.append(String.format(Locale.ROOT, "%-12s %10s %10s %10s %12s %10s%n", "", "ult", "floor", "go-1",
                "ult / floor", "go-1 / ult"));
        for (int i = 0; i < OPERATIONS.length; i++) {
            String op = OPERATIONS[i];
            double ult = medianMicros(op, "ult");
            double floor = medianMicros(op, ChapterTable.FLOOR);
            double goUs = go ? medianMicros(op, GoPeer.COLUMN) : Double.NaN;
            out.append(String.format(Locale.ROOT, "%-12s %10s %10s %10s %12s %10s%n", LABELS[i], micros(ult),
                    micros(floor), go ? micros(goUs) : "-", String.format(Locale.ROOT, "%.2fx", ult / floor),
                    go ? String.format(Locale.ROOT, "%.2fx", goUs / ult) : "-"));
        }
        out.append("targets: signal-wait ult <= 1.3x floor and go-1 / ult >= 1.0; null fork ult <= 0.150 us and"
                + " go-1 / ult >= 1.5\n");
        for (String note : notes) {
            out.append("note: ").append(note).append('\n');
        }
        return out.toString();
    }

    String markdown() {
        StringBuilder out = new StringBuilder("| operation (µs) |");
        for (String c : ChapterTable.COLUMNS) {
            out.append(' ').append(c).append(" |");
        }
        out.append(" 1991 ULT | 1991 KLT | 1991 process |\n|---|");
        out.append("---|".repeat(ChapterTable.COLUMNS.size() + 3)).append('\n');
        for (int i = 0; i < OPERATIONS.length; i++) {
            out.append("| ").append(LABELS[i]).append(" |");
            for (String c : ChapterTable.COLUMNS) {
                out.append(' ').append(micros(medianMicros(OPERATIONS[i], c))).append(" |");
            }
            for (double then : ChapterTable.FIRST_TABLE.get(OPERATIONS[i])) {
                out.append(' ').append(String.format(Locale.ROOT, "%.0f", then)).append(" |");
            }
            out.append('\n');
        }
        out.append(String.format(Locale.ROOT, "%nMachine: %s, %d cores, JDK %s.%n", machine.cpu(), machine.cores(), machine.jdk()));
        boolean go = has("null-fork", GoPeer.COLUMN);
        out.append("\n| switch path (µs) | ult | raw-continuation floor | Go, GOMAXPROCS=1 | ult / floor | Go / ult |\n")
                .append("|---|---|---|---|---|---|\n");
        for (int i = 0; i < OPERATIONS.length; i++) {
            double ult = medianMicros(OPERATIONS[i], "ult");
            double floor = medianMicros(OPERATIONS[i], ChapterTable.FLOOR);
            double goUs = go ? medianMicros(OPERATIONS[i], GoPeer.COLUMN) : Double.NaN;
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2fx | %s |%n", LABELS[i], micros(ult),
                    micros(floor), go ? micros(goUs) : "-", ult / floor,
                    go ? String.format(Locale.ROOT, "%.2fx", goUs / ult) : "-"));
        }
        for (String note : notes) {
            out.append("\n").append(note).append('\n');
        }
        return out.toString();
    }

    String json() {
        StringBuilder out = new StringBuilder("{\"machine\":{");
        out.append("\"cpu\":").append(quote(machine.cpu())).append(",\"cores\":").append(machine.cores())
                .append(",\"jdk\":").append(quote(machine.jdk())).append(",\"os\":").append(quote(machine.os()))
                .append("},\"rows\":[");
        for (int i = 0; i < rows.size(); i++) {
            ChapterTable.Row r = rows.get(i);
            Samples s = r.samples();
            out.append(i == 0 ? "" : ",").append("{\"operation\":").append(quote(r.operation()))
                    .append(",\"runtime\":").append(quote(r.runtime()))
                    .append(String.format(Locale.ROOT, ",\"median_ns\":%.1f,\"min_ns\":%.1f,\"max_ns\":%.1f,\"samples\":%d}",
                            s.median(), s.min(), s.max(), s.count()));
        }
        return out.append("]}").toString();
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    /** A horizontal bar chart on a log10 scale of microseconds, one group per operation, 1991 bars in grey. */
    String svg() {
        int barHeight = 18;
        int gap = 4;
        int left = 190;
        int width = 900;
        int plot = width - left - 90;
        double minLog = -2; // 0.01 us
        double maxLog = 5; // 100 000 us
        StringBuilder bars = new StringBuilder();
        int y = 40;
        for (int i = 0; i < OPERATIONS.length; i++) {
            bars.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>%n", y, LABELS[i]));
            y += 10;
            String[] names = {"ult", "hybrid", "jdk-virtual", "jdk-virtual-1", "klt", "process", "1991 ULT", "1991 KLT",
                "1991 process"};
            double[] then = ChapterTable.FIRST_TABLE.get(OPERATIONS[i]);
            for (int k = 0; k < names.length; k++) {
                int measured = ChapterTable.COLUMNS.size();
                double us = k < measured ? medianMicros(OPERATIONS[i], names[k]) : then[k - measured];
                double w = Math.max(1, (Math.log10(Math.max(us, 0.01)) - minLog) / (maxLog - minLog) * plot);
                String color = k < measured ? "#2f6db5" : "#9a9a9a";
                bars.append(String.format(Locale.ROOT,
                        "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                                + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                                + "<text x=\"%.1f\" y=\"%d\">%s µs</text>%n",
                        left - 8, y + 13, names[k], left, y, w, barHeight, color, left + w + 6, y + 13, micros(us)));
                y += barHeight + gap;
            }
            y += 20;
        }
        StringBuilder axis = new StringBuilder();
        for (int p = (int) minLog; p <= maxLog; p++) {
            double x = left + (p - minLog) / (maxLog - minLog) * plot;
            axis.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"30\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%s</text>%n",
                    x, x, y - 10, x, y + 4, p < 0 ? "0." + "0".repeat(-p - 1) + "1" : "1" + "0".repeat(p)));
        }
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"13\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
                + "<text x=\"10\" y=\"20\" font-size=\"15\">The chapter's table re-measured (µs per operation, log scale;"
                + " grey: 1991 CVAX)</text>%n%s%s</svg>%n", width, y + 20, axis, bars);
    }
}
