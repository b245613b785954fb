package io.github.hilos.server.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The resumable HTTP decoder: the same requests and the same refusals however the bytes are split. */
class HttpDecoderTest {

    private static final String PIPELINED = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
            + "POST /three HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "3;ext=\"q\\\"x\"\r\nabc\r\n2 ; e = v\r\nde\r\n0\r\nTrailer: t\r\n\r\n"
            + "\r\nGET /four HTTP/1.1\r\nHost: a\r\n\r\n";

    /**
     * Feeds {@code bytes} in slices of {@code slice} bytes and returns the requests, checking that every slice is
     * consumed entirely by the call that gets it: no byte is looked at twice, so the work is linear in the
     * request's size however it is split.
     */
    private static List<String> decode(byte[] bytes, int slice) throws IOException {
        HttpDecoder decoder = new HttpDecoder(HttpLimits.DEFAULTS);
        List<String> requests = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += slice) {
            ByteBuffer part = ByteBuffer.wrap(bytes, at, Math.min(slice, bytes.length - at));
            for (HttpRequest r; (r = decoder.decode(part)) != null; ) {
                requests.add(r.method() + " " + r.target() + " " + new String(r.body(), StandardCharsets.ISO_8859_1));
            }
            assertEquals(0, part.remaining(), "every byte consumed when given, at " + at);
        }
        return requests;
    }

    @Test
    void pipelinedRequestsSplitAnywhereAreTheSameRequests() throws IOException {
        byte[] bytes = PIPELINED.getBytes(StandardCharsets.ISO_8859_1);
        List<String> whole = decode(bytes, bytes.length);
        assertEquals(List.of("GET /one ", "POST /two hello", "POST /three abcde", "GET /four "), whole);
        for (int slice : new int[] {1, 2, 3, 5, 7, 13, 64}) {
            assertEquals(whole, decode(bytes, slice), "slices of " + slice);
        }
    }

    @Test
    void aMegabyteBodyTrickledByteByByteIsReadOnce() throws IOException {
        int size = (int) HttpLimits.DEFAULTS.maxBodyBytes();
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        byte[] head = ("PUT /big HTTP/1.1\r\nHost: a\r\nContent-Length: " + size + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        HttpDecoder decoder = new HttpDecoder(HttpLimits.DEFAULTS);
        assertNull(decoder.decode(ByteBuffer.wrap(head)));
        HttpRequest request = null;
        for (int i = 0; i < size; i++) {
            ByteBuffer one = ByteBuffer.wrap(body, i, 1);
            request = decoder.decode(one);
            assertEquals(0, one.remaining());
            assertEquals(i == size - 1, request != null);
        }
        assertArrayEquals(body, request.body());
    }

    static java.util.stream.Stream<HttpConformanceTest.Case> malformed() {
        return HttpConformanceTest.malformed().filter(c -> c.status() != 408);
    }

    private static int status(byte[] bytes, int slice) {
        try {
            List<String> requests = decode(bytes, slice);
            return requests.isEmpty() ? -1 : 200;
        } catch (HttpException e) {
            return e.status();
        } catch (IOException e) {
            return -2;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void everyMalformedRequestIsRefusedAlikeWholeAndByteByByte(HttpConformanceTest.Case c) {
        byte[] bytes = (c.request() + HttpConformanceTest.OK).getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(c.status(), status(bytes, bytes.length), "whole");
        assertEquals(c.status(), status(bytes, 1), "byte by byte");
    }

    @Test
    void expectContinueIsOfferedOnceWhenTheHeadIsComplete() throws IOException {
        HttpDecoder decoder = new HttpDecoder(HttpLimits.DEFAULTS);
        byte[] head = "PUT /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertNull(decoder.decode(ByteBuffer.wrap(head, 0, head.length - 1)));
        assertNull(decoder.interim(), "not before the head is complete");
        assertNull(decoder.decode(ByteBuffer.wrap(head, head.length - 1, 1)));
        ByteBuffer interim = decoder.interim();
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", StandardCharsets.US_ASCII.decode(interim).toString());
        assertNull(decoder.interim(), "once");
        assertEquals("abc", new String(decoder.decode(ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)))
                .body(), StandardCharsets.US_ASCII));
    }

    @Test
    void bodiesInProgressShareTheMemoryBudgetAndGiveItBack() throws IOException {
        io.github.hilos.server.MemoryBudget budget = io.github.hilos.server.MemoryBudget.ofBytes(100_000);
        byte[] head = "PUT /b HTTP/1.1\r\nHost: a\r\nContent-Length: 80000\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        HttpDecoder first = new HttpDecoder(HttpLimits.DEFAULTS, budget);
        HttpDecoder second = new HttpDecoder(HttpLimits.DEFAULTS, budget);
        assertNull(first.decode(ByteBuffer.wrap(head)));
        assertEquals(64 * 1024, budget.used(), "the first body array is reserved");
        HttpException refused = org.junit.jupiter.api.Assertions.assertThrows(HttpException.class,
                () -> second.decode(ByteBuffer.wrap(head)));
        assertEquals(503, refused.status());
        second.release();
        assertEquals(64 * 1024, budget.used(), "a refused request holds nothing");
        HttpRequest done = first.decode(ByteBuffer.wrap(new byte[80_000]));
        assertEquals(80_000, done.body().length);
        assertEquals(0, budget.used(), "a complete request gives its body to the service and the budget back");
        assertNull(first.decode(ByteBuffer.wrap(head)));
        first.decode(ByteBuffer.wrap(new byte[70_000]));
        assertEquals(80_000, budget.used(), "the body's array grew to its length");
        first.release(); // the connection ended mid-body
        assertEquals(0, budget.used());
    }
}
