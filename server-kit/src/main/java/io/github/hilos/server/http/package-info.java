/**
 * HTTP/1.1 for the servers: the strict {@link io.github.hilos.server.http.HttpCodec} (RFC 9112, with limits and the
 * smuggling classes refused), requests and responses (file bodies streamed), and a small
 * {@link io.github.hilos.server.http.HttpRouter}.
 */
package io.github.hilos.server.http;
