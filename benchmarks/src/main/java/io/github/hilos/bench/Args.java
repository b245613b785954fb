package io.github.hilos.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The options of one command: {@code --name value} pairs, repeatable, and positional words; checked as parsed. */
final class Args {

    private final String command;
    private final Map<String, List<String>> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    /**
     * Parses {@code options} of {@code command}, accepting only the named options (each takes a value).
     *
     * @throws Hilos.UsageException on an unknown option or a missing value
     */
    Args(String command, List<String> options, Set<String> known) throws Hilos.UsageException {
        this.command = command;
        for (int i = 0; i < options.size(); i++) {
            String o = options.get(i);
            if (o.startsWith("--")) {
                if (!known.contains(o)) {
                    throw new Hilos.UsageException("unknown option for " + command + ": '" + o + "'");
                }
                if (i + 1 >= options.size()) {
                    throw new Hilos.UsageException(o + " needs a value");
                }
                values.computeIfAbsent(o, k -> new ArrayList<>()).add(options.get(++i));
            } else {
                positional.add(o);
            }
        }
    }

    List<String> positional() {
        return positional;
    }

    List<String> all(String option) {
        return values.getOrDefault(option, List.of());
    }

    String text(String option, String fallback) {
        List<String> v = all(option);
        return v.isEmpty() ? fallback : v.get(v.size() - 1);
    }

    String oneOf(String option, String fallback, List<String> allowed) throws Hilos.UsageException {
        String v = text(option, fallback);
        if (!allowed.contains(v)) {
            throw new Hilos.UsageException(command + " " + option + ": '" + v + "' is not one of "
                    + String.join(", ", allowed));
        }
        return v;
    }

    int positiveInt(String option, int fallback) throws Hilos.UsageException {
        String v = text(option, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Hilos.UsageException(option + " needs a positive whole number: '" + v + "'");
    }

    int port(String option, int fallback) throws Hilos.UsageException {
        String v = text(option, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 0 && n <= 65535) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Hilos.UsageException(option + " needs a port number (0-65535; 0 picks a free one): '" + v + "'");
    }

    double fraction(String option, double fallback) throws Hilos.UsageException {
        String v = text(option, null);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            if (d >= 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Hilos.UsageException(option + " needs a fraction between 0 and 1: '" + v + "'");
    }

    /** A duration such as {@code 500us}, {@code 1ms}, {@code 10s}, {@code 2m}. */
    Duration duration(String option, Duration fallback) throws Hilos.UsageException {
        String v = text(option, null);
        return v == null ? fallback : parseDuration(option, v);
    }

    static Duration parseDuration(String option, String v) throws Hilos.UsageException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(us|ms|s|m)").matcher(v);
        if (!m.matches()) {
            throw new Hilos.UsageException(option + " needs a duration such as 500us, 1ms, 10s or 2m: '" + v + "'");
        }
        double n = Double.parseDouble(m.group(1));
        long nanos = (long) switch (m.group(2)) {
            case "us" -> n * 1e3;
            case "ms" -> n * 1e6;
            case "s" -> n * 1e9;
            default -> n * 60e9;
        };
        return Duration.ofNanos(nanos);
    }

    /**
     * The runtimes named by a repeatable option, each checked, or {@code fallback} when it is absent.
     *
     * @throws Hilos.UsageException on an unknown runtime, listing the known ones
     */
    List<String> runtimes(String option, List<String> fallback) throws Hilos.UsageException {
        List<String> named = all(option);
        for (String r : named) {
            if (!io.github.hilos.api.Runtimes.names().contains(r)) {
                throw new Hilos.UsageException("unknown runtime '" + r + "'; known: "
                        + String.join(", ", io.github.hilos.api.Runtimes.names()));
            }
        }
        return named.isEmpty() ? fallback : named;
    }
}
