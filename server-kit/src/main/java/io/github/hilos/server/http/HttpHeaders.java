package io.github.hilos.server.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Header fields in the order they came, names compared without case. Immutable once built; values are the
 * field's bytes as ISO-8859-1, with the optional whitespace around them removed.
 */
public final class HttpHeaders {

    /** No fields. */
    public static final HttpHeaders EMPTY = new HttpHeaders(List.of(), List.of(), 0);

    static final int HOST = 1;
    static final int HOST_REPEATED = 2;
    static final int TRANSFER_ENCODING = 4;
    static final int CONTENT_LENGTH = 8;
    static final int EXPECT = 16;
    static final int CONNECTION = 32;

    private final List<String> names;
    private final List<String> values;
    /** Which framing fields are present (the bits above): most requests have none but Host. */
    private final int present;
    /**
     * The fields as they are written in a response, {@code Connection} left out (the codec writes it); computed
     * on first use. Volatile so that the array's contents are published with it; two threads may both compute
     * it, to the same bytes.
     */
    private volatile byte[] encoded;

    private HttpHeaders(List<String> names, List<String> values, int present) {
        this.names = names;
        this.values = values;
        this.present = present;
    }

    /** The bit of a framing field's name, 0 for any other name. */
    static int classify(String name) {
        return switch (name.length()) {
            case 4 -> name.equalsIgnoreCase("Host") ? HOST : 0;
            case 6 -> name.equalsIgnoreCase("Expect") ? EXPECT : 0;
            case 10 -> name.equalsIgnoreCase("Connection") ? CONNECTION : 0;
            case 14 -> name.equalsIgnoreCase("Content-Length") ? CONTENT_LENGTH : 0;
            case 17 -> name.equalsIgnoreCase("Transfer-Encoding") ? TRANSFER_ENCODING : 0;
            default -> 0;
        };
    }

    private static int withField(int present, String name) {
        int bit = classify(name);
        return bit == HOST && (present & HOST) != 0 ? present | HOST_REPEATED : present | bit;
    }

    /**
     * Tells whether a framing field is present.
     *
     * @param bit one of the bits above
     * @return whether some field has that name
     */
    boolean has(int bit) {
        return (present & bit) != 0;
    }

    /**
     * Builds headers from name/value pairs.
     *
     * @param namesAndValues name, value, name, value...
     * @return the headers
     * @throws IllegalArgumentException on an odd count, or a name or value {@link #with} refuses
     */
    public static HttpHeaders of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs: " + namesAndValues.length);
        }
        HttpHeaders h = EMPTY;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            h = h.with(namesAndValues[i], namesAndValues[i + 1]);
        }
        return h;
    }

    /** Parser-side builder: no checks (the parser checked). */
    static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<String> values = new ArrayList<>();
        private int present;

        void add(String name, String value) {
            names.add(name);
            values.add(value);
            present = withField(present, name);
        }

        int size() {
            return names.size();
        }

        HttpHeaders build() {
            return new HttpHeaders(Collections.unmodifiableList(names), Collections.unmodifiableList(values), present);
        }
    }

    /**
     * Returns these headers and one more field; the name and value are checked (token name, no CR, LF or other
     * control character in the value), so that a response cannot be split.
     *
     * @param name the field name
     * @param value the value
     * @return new headers
     * @throws IllegalArgumentException on a bad name or value
     */
    public HttpHeaders with(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7f || !HttpSyntax.isTchar(c)) {
                throw new IllegalArgumentException("header name is not a token: " + name);
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff || !HttpSyntax.isFieldValueChar(c)) {
                throw new IllegalArgumentException("header " + name + " has a control character at " + i);
            }
        }
        List<String> n = new ArrayList<>(names);
        List<String> v = new ArrayList<>(values);
        n.add(name);
        v.add(value.strip());
        return new HttpHeaders(Collections.unmodifiableList(n), Collections.unmodifiableList(v),
                withField(present, name));
    }

    /**
     * Returns the first value of a field.
     *
     * @param name the name, any case
     * @return the value, or null if absent
     */
    public String first(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return values.get(i);
            }
        }
        return null;
    }

    /**
     * Returns every value of a field, in order.
     *
     * @param name the name, any case
     * @return the values, empty if absent
     */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                out.add(values.get(i));
            }
        }
        return out;
    }

    /**
     * Tells whether a comma-separated field lists a token, without case ({@code Connection: keep-alive, close}).
     *
     * @param name the field
     * @param token the token
     * @return whether some value lists it
     */
    public boolean hasToken(String name, String token) {
        int bit = classify(name);
        if (bit != 0 && (present & bit) == 0) {
            return false;
        }
        for (String v : all(name)) {
            for (String member : v.split(",")) {
                if (member.strip().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Returns the number of fields.
     *
     * @return the count
     */
    public int size() {
        return names.size();
    }

    /**
     * Returns the name of field {@code i}, as it was written.
     *
     * @param i the index
     * @return the name
     */
    public String name(int i) {
        return names.get(i);
    }

    /**
     * Returns the value of field {@code i}.
     *
     * @param i the index
     * @return the value
     */
    public String value(int i) {
        return values.get(i);
    }

    /** The fields as response lines ({@code name: value CRLF}), without {@code Connection}. */
    byte[] encodedForResponse() {
        byte[] e = encoded;
        if (e == null) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < names.size(); i++) {
                if (!names.get(i).equalsIgnoreCase("Connection")) {
                    b.append(names.get(i)).append(": ").append(values.get(i)).append("\r\n");
                }
            }
            e = b.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            encoded = e;
        }
        return e;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            b.append(names.get(i)).append(": ").append(values.get(i)).append('\n');
        }
        return b.toString();
    }
}
