package io.github.hilos.bench;

import java.util.List;
import java.util.Locale;

/** A horizontal bar chart on a log scale, readable at a glance: one labelled bar per value. */
final class SvgBars {

    private SvgBars() {
    }

    /** One bar. */
    record Bar(String label, double value, String note) {
    }

    static String render(String title, String unit, List<Bar> bars) {
        double max = bars.stream().mapToDouble(Bar::value).filter(v -> v > 0).max().orElse(1);
        double min = bars.stream().mapToDouble(Bar::value).filter(v -> v > 0).min().orElse(1);
        double maxLog = Math.ceil(Math.log10(max));
        double minLog = Math.min(Math.floor(Math.log10(min)), maxLog - 1);
        int left = 260;
        int plot = 520;
        int width = left + plot + 140;
        StringBuilder body = new StringBuilder();
        int y = 50;
        for (Bar b : bars) {
            double w = b.value() <= 0 ? 0 : (Math.log10(b.value()) - minLog) / (maxLog - minLog) * plot;
            body.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                            + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"#3b6ea5\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%s</text>%n",
                    left - 8, y + 12, escape(b.label()), left, y, Math.max(1, w), left + Math.max(1, w) + 6, y + 12,
                    escape(b.note())));
            y += 24;
        }
        StringBuilder axis = new StringBuilder();
        for (int p = (int) minLog; p <= maxLog; p++) {
            double x = left + (p - minLog) / (maxLog - minLog) * plot;
            axis.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"40\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%s</text>%n",
                    x, x, y, x, y + 14, p < 0 ? "0." + "0".repeat(-p - 1) + "1" : "1" + "0".repeat(p)));
        }
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"13\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
                + "<text x=\"10\" y=\"22\" font-size=\"15\">%s (%s, log scale)</text>%n%s%s</svg>%n",
                width, y + 30, escape(title), escape(unit), axis, body);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
