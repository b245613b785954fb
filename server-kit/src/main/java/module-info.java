/**
 * Hilos server-kit: the chapter's server organizations and framing codecs over strand sockets, on any runtime.
 */
module io.github.hilos.server {
    requires transitive io.github.hilos.api;
    requires transitive java.net.http;

    exports io.github.hilos.server;
    exports io.github.hilos.server.http;
    exports io.github.hilos.server.examples;
    exports io.github.hilos.client;
}
