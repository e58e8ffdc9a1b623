package io.tally.engine.http.wire;

/** Why the reader stopped reading a connection: the answer is the handler's, the connection then closes. */
public enum WireFault
{
    /** The head is not a well-formed request, or frames its body ambiguously (400). */
    MALFORMED_HEAD,
    /** The request line or the header section is past its limit (431). */
    HEAD_TOO_LARGE,
    /** A chunked body's framing broke: a bad chunk size, no CRLF after a chunk, a bad or too large trailer (400). */
    BROKEN_BODY
}
