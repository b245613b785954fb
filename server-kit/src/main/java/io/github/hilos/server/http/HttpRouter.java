package io.github.hilos.server.http;

import io.github.hilos.server.Service;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A small HTTP router: a {@link Service} that picks a handler by method and path pattern.
 *
 * <pre>{@code
 * HttpRouter api = HttpRouter.builder()
 *         .get("/users/{id}", r -> HttpResponse.ok("user " + r.pathParam("id")))
 *         .post("/users", r -> HttpResponse.text(201, "created"))
 *         .get("/files/{path...}", r -> HttpResponse.ok(r.pathParam("path")))
 *         .build();
 * }</pre>
 *
 * <p>Patterns are literal segments, {@code {name}} for one segment, and a last {@code {name...}} for the rest of
 * the path. Path segments and query values are percent-decoded (UTF-8; {@code +} is a space in the query only); a
 * malformed escape is answered 400. Routes are tried in the order they were added. A path no route matches gets
 * 404; a path that matches only routes of other methods gets 405 with {@code Allow}; a GET route also serves HEAD.
 * Immutable once built, and thread-safe.
 */
public final class HttpRouter implements Service<HttpRequest, HttpResponse> {

    /** What a route does with a request. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Answers a routed request.
         *
         * @param request the request, with its path parameters and query
         * @return the response
         * @throws Exception on failure (the codec's 500)
         */
        HttpResponse handle(Routed request) throws Exception;
    }

    /**
     * A request with what the router found in it.
     *
     * @param request the request
     * @param pathParams the path parameters, decoded, by name
     * @param query the query parameters, decoded, by name, in order (a name may repeat)
     */
    public record Routed(HttpRequest request, Map<String, String> pathParams, Map<String, List<String>> query) {

        /**
         * Returns a path parameter.
         *
         * @param name its name in the pattern
         * @return its decoded value
         * @throws IllegalArgumentException if the pattern has no such parameter
         */
        public String pathParam(String name) {
            String v = pathParams.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no path parameter '" + name + "'; the route has " + pathParams.keySet());
            }
            return v;
        }

        /**
         * Returns the first value of a query parameter.
         *
         * @param name the parameter
         * @return its decoded value, or null if absent
         */
        public String queryParam(String name) {
            List<String> values = query.get(name);
            return values == null ? null : values.getFirst();
        }
    }

    private record Route(String method, String[] segments, boolean rest, Handler handler) {
    }

    /** Collects routes. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a route.
         *
         * @param method the method, such as {@code GET}
         * @param pattern the path pattern, starting with {@code /}
         * @param handler what answers
         * @return this builder
         * @throws IllegalArgumentException on a malformed pattern
         */
        public Builder route(String method, String pattern, Handler handler) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(handler, "handler");
            if (!pattern.startsWith("/")) {
                throw new IllegalArgumentException("a path pattern starts with '/': '" + pattern + "'");
            }
            String[] segments = pattern.equals("/") ? new String[0] : pattern.substring(1).split("/", -1);
            boolean rest = false;
            Set<String> names = new LinkedHashSet<>();
            for (int i = 0; i < segments.length; i++) {
                String s = segments[i];
                if (s.startsWith("{") && s.endsWith("}")) {
                    String name = s.substring(1, s.length() - 1);
                    if (name.endsWith("...")) {
                        if (i != segments.length - 1) {
                            throw new IllegalArgumentException("'{" + name + "}' must be the last segment: '" + pattern + "'");
                        }
                        name = name.substring(0, name.length() - 3);
                        rest = true;
                    }
                    if (name.isEmpty() || !names.add(name)) {
                        throw new IllegalArgumentException("empty or repeated parameter name in '" + pattern + "'");
                    }
                } else if (s.contains("{") || s.contains("}")) {
                    throw new IllegalArgumentException("a parameter takes a whole segment: '" + pattern + "'");
                }
            }
            routes.add(new Route(method, segments, rest, handler));
            return this;
        }

        /**
         * Adds a GET route (which also serves HEAD).
         *
         * @param pattern the path pattern
         * @param handler what answers
         * @return this builder
         */
        public Builder get(String pattern, Handler handler) {
            return route("GET", pattern, handler);
        }

        /**
         * Adds a POST route.
         *
         * @param pattern the path pattern
         * @param handler what answers
         * @return this builder
         */
        public Builder post(String pattern, Handler handler) {
            return route("POST", pattern, handler);
        }

        /**
         * Adds a PUT route.
         *
         * @param pattern the path pattern
         * @param handler what answers
         * @return this builder
         */
        public Builder put(String pattern, Handler handler) {
            return route("PUT", pattern, handler);
        }

        /**
         * Adds a DELETE route.
         *
         * @param pattern the path pattern
         * @param handler what answers
         * @return this builder
         */
        public Builder delete(String pattern, Handler handler) {
            return route("DELETE", pattern, handler);
        }

        /**
         * Builds the router.
         *
         * @return the router
         */
        public HttpRouter build() {
            return new HttpRouter(List.copyOf(routes));
        }
    }

    private final List<Route> routes;

    private HttpRouter(List<Route> routes) {
        this.routes = routes;
    }

    /**
     * Starts a router.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws Exception {
        String path = request.path();
        String[] raw = path.equals("/") ? new String[0] : path.substring(1).split("/", -1);
        String[] decoded = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            decoded[i] = decode(raw[i], false);
            if (decoded[i] == null) {
                return HttpResponse.text(400, "malformed percent-encoding in the path\n");
            }
        }
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Map<String, String> params = match(r, raw, decoded);
            if (params == null) {
                continue;
            }
            boolean methodMatches = r.method.equals(request.method())
                    || r.method.equals("GET") && request.method().equals("HEAD");
            if (!methodMatches) {
                allowed.add(r.method);
                if (r.method.equals("GET")) {
                    allowed.add("HEAD");
                }
                continue;
            }
            Map<String, List<String>> query = query(request.target());
            if (query == null) {
                return HttpResponse.text(400, "malformed percent-encoding in the query\n");
            }
            return r.handler.handle(new Routed(request, params, query));
        }
        if (!allowed.isEmpty()) {
            return HttpResponse.text(405, "method not allowed\n").header("Allow", String.join(", ", allowed));
        }
        return HttpResponse.text(404, "not found\n");
    }

    private static Map<String, String> match(Route r, String[] raw, String[] decoded) {
        int fixed = r.rest ? r.segments.length - 1 : r.segments.length;
        if (r.rest ? raw.length < fixed : raw.length != fixed) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < fixed; i++) {
            String s = r.segments[i];
            if (s.startsWith("{")) {
                params.put(s.substring(1, s.length() - 1), decoded[i]);
            } else if (!s.equals(decoded[i])) {
                return null;
            }
        }
        if (r.rest) {
            String s = r.segments[fixed];
            StringBuilder tail = new StringBuilder();
            for (int i = fixed; i < decoded.length; i++) {
                tail.append(i == fixed ? "" : "/").append(decoded[i]);
            }
            params.put(s.substring(1, s.length() - 4), tail.toString());
        }
        return Map.copyOf(params);
    }

    /** The query of a target, decoded; null when an escape is malformed. */
    static Map<String, List<String>> query(String target) {
        int q = target.indexOf('?');
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (q < 0 || q == target.length() - 1) {
            return out;
        }
        for (String pair : target.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            if (name == null || value == null) {
                return null;
            }
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }

    /** Percent-decodes (UTF-8); {@code +} is a space when {@code plusIsSpace}; null when malformed. */
    static String decode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
