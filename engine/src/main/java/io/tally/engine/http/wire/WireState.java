package io.tally.engine.http.wire;

/** Where the reader is in a connection's stream of requests. */
enum WireState
{
    /** Before a request line (empty lines before it are skipped, RFC 9112, 2.2). */
    REQUEST_LINE,
    /** Between the request line and the empty line that ends the head. */
    HEADERS,
    /** In a body of {@code Content-Length} bytes. */
    BODY,
    /** Before a chunk's size line (with its extensions). */
    CHUNK_SIZE,
    /** In a chunk's data. */
    CHUNK_DATA,
    /** At the CRLF that ends a chunk's data. */
    CHUNK_END,
    /** After the last chunk: trailer lines up to the empty line. */
    TRAILERS,
    /** The framing is lost (or the connection is done): nothing more is read. */
    BROKEN
}
