package io.github.hilos.client;

import io.github.hilos.api.Jacket;
import io.github.hilos.api.Strand;
import io.github.hilos.api.StrandRuntime;
import io.github.hilos.sync.Semaphore;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The chapter's multithreaded client: fetch several things at once, each on its own strand, at most
 * {@code parallelism} at a time, and collect every outcome in order (one failure does not lose the others).
 */
public final class ParallelFetch {

    private ParallelFetch() {
    }

    /**
     * The outcome of one fetch.
     *
     * @param item what was fetched
     * @param value the result, or null if it failed
     * @param failure why it failed, or null
     * @param <K> the item type
     * @param <V> the result type
     */
    public record Outcome<K, V>(K item, V value, Exception failure) {

        /**
         * Tells whether the fetch succeeded.
         *
         * @return true if there is a value
         */
        public boolean ok() {
            return failure == null;
        }
    }

    /**
     * Fetches every item on its own strand of {@code runtime}, at most {@code parallelism} at once, and waits for
     * all of them.
     *
     * @param runtime where the strands run
     * @param items what to fetch
     * @param parallelism the most fetches at once; positive
     * @param fetch how to fetch one item
     * @param <K> the item type
     * @param <V> the result type
     * @return one outcome per item, in the items' order
     * @throws InterruptedException if interrupted while waiting (the fetches are interrupted too)
     */
    public static <K, V> List<Outcome<K, V>> all(StrandRuntime runtime, List<K> items, int parallelism,
                                                  Call<K, V> fetch) throws InterruptedException {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(fetch, "fetch");
        if (parallelism <= 0) {
            throw new IllegalArgumentException("parallelism must be positive: " + parallelism);
        }
        List<K> work = List.copyOf(items);
        List<Outcome<K, V>> outcomes = new ArrayList<>(java.util.Collections.nCopies(work.size(), null));
        Semaphore slots = new Semaphore(parallelism);
        List<Strand> strands = new ArrayList<>(work.size());
        try {
            for (int i = 0; i < work.size(); i++) {
                slots.acquire();
                int index = i;
                K item = work.get(i);
                strands.add(runtime.spawn("fetch-" + i, () -> {
                    try {
                        outcomes.set(index, new Outcome<>(item, fetch.call(item), null));
                    } catch (Exception e) {
                        outcomes.set(index, new Outcome<>(item, null, e));
                    } catch (Error e) { // recorded as this item's failure; the others are kept
                        outcomes.set(index, new Outcome<>(item, null, new IllegalStateException(
                                "the fetch failed with " + e, e)));
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Strand s : strands) {
                s.join(); // join orders the outcome written by s before the read below
            }
        } catch (InterruptedException e) {
            for (Strand s : strands) {
                s.interrupt();
            }
            throw e;
        }
        return List.copyOf(outcomes);
    }

    /**
     * A page and its parts.
     *
     * @param page the page's body
     * @param parts each part's outcome, by URI, in the order the page names them
     */
    public record Page(String page, Map<URI, Outcome<URI, byte[]>> parts) {
    }

    /**
     * Fetches a page, then its parts (the URIs {@code partsOf} finds in it, resolved against the page's URI) over
     * several connections at once, each on its own strand, with the JDK {@code HttpClient} through
     * {@link Jacket#await}.
     *
     * @param runtime where the strands run
     * @param client the HTTP client (HTTP/1.1, so that parallel fetches use parallel connections)
     * @param page the page's URI
     * @param partsOf finds the parts' references in the page's body
     * @param parallelism the most fetches at once
     * @param timeout the timeout of each request
     * @return the page and its parts
     * @throws Exception if the page itself cannot be fetched (parts fail one by one, in their outcomes)
     */
    public static Page page(StrandRuntime runtime, HttpClient client, URI page, Function<String, List<String>> partsOf,
                            int parallelism, Duration timeout) throws Exception {
        HttpResponse<String> main = Jacket.awaitOrCancel(client.sendAsync(
                HttpRequest.newBuilder(page).timeout(timeout).build(), HttpResponse.BodyHandlers.ofString()));
        if (main.statusCode() / 100 != 2) {
            throw new java.io.IOException("GET " + page + ": status " + main.statusCode());
        }
        // Each reference resolves on its own: a malformed one ("b c.png", "http://[") fails as that part only,
        // under a placeholder URI that names its position, and the others are fetched.
        List<URI> parts = new ArrayList<>();
        Map<URI, Outcome<URI, byte[]>> invalid = new LinkedHashMap<>();
        List<String> refs = partsOf.apply(main.body());
        for (int i = 0; i < refs.size(); i++) {
            String ref = refs.get(i);
            try {
                URI uri = page.resolve(ref);
                if (!parts.contains(uri)) {
                    parts.add(uri);
                }
            } catch (IllegalArgumentException malformed) {
                URI placeholder = URI.create("urn:hilos:invalid-part:" + i);
                invalid.put(placeholder, new Outcome<>(placeholder, null, new java.net.URISyntaxException(ref,
                        "part " + i + " of " + page + " is not a valid reference: "
                        + (malformed.getCause() != null ? malformed.getCause().getMessage() : malformed.getMessage()))));
            }
        }
        List<Outcome<URI, byte[]>> outcomes = all(runtime, parts, parallelism, uri -> {
            HttpResponse<byte[]> r = Jacket.awaitOrCancel(client.sendAsync(HttpRequest.newBuilder(uri).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
            if (r.statusCode() / 100 != 2) {
                throw new java.io.IOException("GET " + uri + ": status " + r.statusCode());
            }
            return r.body();
        });
        Map<URI, Outcome<URI, byte[]>> byUri = new LinkedHashMap<>();
        for (Outcome<URI, byte[]> o : outcomes) {
            byUri.put(o.item(), o);
        }
        byUri.putAll(invalid);
        return new Page(main.body(), byUri);
    }
}
