package example;

import io.github.hilos.api.StrandRuntime;
import io.github.hilos.server.Server;
import io.github.hilos.server.ThreadPerConnectionServer;
import io.github.hilos.server.http.HttpCodec;
import io.github.hilos.server.http.HttpResponse;
import io.github.hilos.server.http.HttpRouter;
import io.github.hilos.sync.Mutex;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A key-value store over HTTP: GET, PUT and DELETE on /keys/{key}. Guarded by a strand-aware Mutex. */
public final class KeyValueApi {

    private final Map<String, String> store = new HashMap<>();
    private final Mutex lock = new Mutex();

    /** The routes, a Service: usable with any organization, or in memory in a test. */
    public HttpRouter router() {
        return HttpRouter.builder()
                .get("/keys/{key}", r -> {
                    String v = locked(() -> store.get(r.pathParam("key")));
                    return v == null ? HttpResponse.text(404, "no such key\n") : HttpResponse.ok(v);
                })
                .put("/keys/{key}", r -> {
                    String value = new String(r.request().body(), StandardCharsets.UTF_8);
                    String old = locked(() -> store.put(r.pathParam("key"), value));
                    return HttpResponse.text(old == null ? 201 : 200, "stored\n");
                })
                .delete("/keys/{key}", r -> locked(() -> store.remove(r.pathParam("key"))) == null
                        ? HttpResponse.text(404, "no such key\n") : HttpResponse.text(204, ""))
                .build();
    }

    private <T> T locked(java.util.function.Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Starts the API as a thread-per-connection server. */
    public Server start(StrandRuntime runtime, SocketAddress address) throws Exception {
        return ThreadPerConnectionServer.start(runtime, address, HttpCodec.strict(), router());
    }
}
