package io.tally.engine.http.wire;

import io.netty.buffer.ByteBuf;

/**
 * Finds the lines of a head, a chunk size or a trailer in the readable bytes of a buffer. A line ends with CRLF;
 * a bare LF, or a CR anywhere else, is not a line end (RFC 9112, 2.2: Netty refuses a bare LF too).
 */
final class Lines
{
    /** No line end among the readable bytes yet. */
    static final int INCOMPLETE = -1;
    /** A LF without the CR before it. */
    static final int BARE_LF = -2;

    private Lines()
    {
    }

    /** Where the CR of the first line's CRLF is, or {@link #INCOMPLETE} or {@link #BARE_LF}. */
    static int end(final ByteBuf buffer)
    {
        final int lf = buffer.indexOf(buffer.readerIndex(), buffer.writerIndex(), HttpChars.LF);
        if (lf < 0)
        {
            return INCOMPLETE;
        }
        return lf > buffer.readerIndex() && buffer.getByte(lf - 1) == HttpChars.CR ? lf - 1 : BARE_LF;
    }

    /** The bytes of a line not yet ended that already count against a limit (a CR at the end may be its end). */
    static int partialLength(final ByteBuf buffer)
    {
        final int readable = buffer.readableBytes();
        return readable > 0 && buffer.getByte(buffer.writerIndex() - 1) == HttpChars.CR ? readable - 1 : readable;
    }
}
