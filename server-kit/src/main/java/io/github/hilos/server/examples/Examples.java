package io.github.hilos.server.examples;

import io.github.hilos.server.Service;
import io.github.hilos.server.http.HttpRequest;
import io.github.hilos.server.http.HttpResponse;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/** The small example services: echo and HTTP hello. The file servers are {@link StaticFiles} and {@link StatefulFiles}. */
public final class Examples {

    private Examples() {
    }

    private static final Set<String> HELLO_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE");
    private static final byte[] HELLO = "Hello, World!\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * Echo: each line comes back as it was (use with {@code Codecs.lines}).
     *
     * @return the service
     */
    public static Service<String, String> echo() {
        return line -> line;
    }

    /**
     * HTTP hello, for load tests: 200 and a short body to GET, HEAD, POST, PUT and DELETE on any path (the codec has
     * read the request body; it is discarded), 405 to other methods.
     *
     * @return the service
     */
    public static Service<HttpRequest, HttpResponse> helloHttp() {
        HttpResponse hello = HttpResponse.of(200, "text/plain", HELLO);
        HttpResponse notAllowed = HttpResponse.text(405, "method not allowed\n")
                .header("Allow", "GET, HEAD, POST, PUT, DELETE");
        return request -> HELLO_METHODS.contains(request.method()) ? hello : notAllowed;
    }
}
