package io.tally.engine.http.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;

import java.time.Duration;

/**
 * Reads a connection's requests straight from the bytes Netty read, one per connection: the head line by line
 * into the connection's {@link WireHead} ({@link HeadScanner}), the body as pieces of the read buffers
 * ({@link BodyFraming}), each request held to the read deadline ({@link ReadDeadline}). It tells its
 * {@link RequestListener} directly; no message object is made per request.
 * <p>
 * Bytes not yet read whole (a head split across reads, a request behind one the listener {@link #hold() holds})
 * wait in the reader's cumulation: the read buffer itself when nothing waited before, else a copy of the rest and
 * the new bytes (only a head or a chunk line is ever left over; body bytes are handed on as they arrive). After a
 * fault the framing is lost and nothing more is read.
 */
public final class RequestReader
{
    private final WireHead head = new WireHead();
    private final RequestListener listener;
    private final BodyFraming body;
    private final ReadDeadline deadline;
    private final int maxLineBytes;
    private final int maxHeaderBytes;

    private WireState state = WireState.REQUEST_LINE;
    private ByteBuf cumulation;
    private int headerBytes;
    /** The listener is answering the last request: the next one waits, unread. */
    private boolean held;
    private boolean processing;

    /**
     * @param maxLineBytes   the longest request line (and chunk-size line), without its CRLF.
     * @param maxHeaderBytes the most header bytes (the lines without their CRLFs; trailers alike).
     * @param readTimeout    a request's read deadline; zero or less: none.
     */
    public RequestReader(final RequestListener listener, final int maxLineBytes, final int maxHeaderBytes,
        final Duration readTimeout)
    {
        this.listener = listener;
        this.maxLineBytes = maxLineBytes;
        this.maxHeaderBytes = maxHeaderBytes;
        this.body = new BodyFraming(maxLineBytes, maxHeaderBytes);
        this.deadline = new ReadDeadline(readTimeout, listener::onReadTimeout);
    }

    /** The head of the request under way (or of the last one, until the next begins). */
    public WireHead head()
    {
        return head;
    }

    /** The connection is open: its deadline checks begin. */
    public void start(final ChannelHandlerContext ctx)
    {
        deadline.start(ctx);
    }

    /** The connection is closed: what waits is released, the checks stop. */
    public void close()
    {
        deadline.stop();
        stop();
    }

    /** Reads nothing more of the connection (it is closing). */
    public void stop()
    {
        state = WireState.BROKEN;
        deadline.end();
        if (!processing)
        {
            releaseCumulation();
        }
    }

    /** Takes the bytes of one read (and their reference) and reads what requests they make. */
    public void read(final ByteBufAllocator alloc, final ByteBuf bytes)
    {
        if (state == WireState.BROKEN)
        {
            bytes.release();
            return;
        }
        cumulate(alloc, bytes);
        if (!held && !processing)
        {
            process();
        }
    }

    /** The next request waits unread until {@link #resume()}: its bytes are kept as they arrive. */
    public void hold()
    {
        held = true;
    }

    /** Reads the requests that waited; the next one's deadline begins now, not when its bytes arrived. */
    public void resume()
    {
        held = false;
        if (!processing && state != WireState.BROKEN)
        {
            process();
        }
    }

    /** Gives the request under way another whole timeout: for a body that is a stream of any length. */
    public void extendDeadline()
    {
        deadline.begin();
    }

    /** When the request under way began (its first byte was read), as {@link System#nanoTime}. */
    public long requestStartNanos()
    {
        return deadline.startNanos();
    }

    private void cumulate(final ByteBufAllocator alloc, final ByteBuf bytes)
    {
        if (cumulation == null)
        {
            cumulation = bytes;
            return;
        }
        final ByteBuf merged = alloc.buffer(cumulation.readableBytes() + bytes.readableBytes());
        merged.writeBytes(cumulation).writeBytes(bytes);
        cumulation.release();
        bytes.release();
        cumulation = merged;
    }

    private void process()
    {
        processing = true;
        try
        {
            while (!held && state != WireState.BROKEN && cumulation != null && cumulation.isReadable())
            {
                if (!deadline.isUnderWay())
                {
                    begin();
                }
                if (!step(cumulation))
                {
                    break;
                }
            }
        }
        finally
        {
            processing = false;
            if (state == WireState.BROKEN || cumulation != null && !cumulation.isReadable())
            {
                releaseCumulation();
            }
        }
    }

    /** A request begins with its first byte: nothing of the last head carries over. */
    private void begin()
    {
        deadline.begin();
        head.clear();
        headerBytes = 0;
    }

    /** One step in the current state; false when it needs more bytes or reading stopped. */
    private boolean step(final ByteBuf buffer)
    {
        switch (state)
        {
            case REQUEST_LINE:
                return requestLine(buffer);
            case HEADERS:
                return headerLine(buffer);
            case BROKEN:
                return false;
            default:
                return bodyStep(buffer);
        }
    }

    private boolean requestLine(final ByteBuf buffer)
    {
        final int end = Lines.end(buffer);
        if (end == Lines.INCOMPLETE)
        {
            return Lines.partialLength(buffer) > maxLineBytes && fault(WireFault.HEAD_TOO_LARGE);
        }
        if (end == Lines.BARE_LF)
        {
            return fault(WireFault.MALFORMED_HEAD);
        }
        final int from = buffer.readerIndex();
        buffer.readerIndex(end + 2);
        if (end == from)
        {
            return true; // an empty line before the request line (RFC 9112, 2.2)
        }
        if (end - from > maxLineBytes)
        {
            return fault(WireFault.HEAD_TOO_LARGE);
        }
        if (!HeadScanner.requestLine(buffer, from, end, head))
        {
            return fault(WireFault.MALFORMED_HEAD);
        }
        state = WireState.HEADERS;
        return true;
    }

    private boolean headerLine(final ByteBuf buffer)
    {
        final int end = Lines.end(buffer);
        if (end == Lines.INCOMPLETE)
        {
            return headerBytes + Lines.partialLength(buffer) > maxHeaderBytes && fault(WireFault.HEAD_TOO_LARGE);
        }
        if (end == Lines.BARE_LF)
        {
            return fault(WireFault.MALFORMED_HEAD);
        }
        final int from = buffer.readerIndex();
        buffer.readerIndex(end + 2);
        if (end == from)
        {
            return headEnd();
        }
        headerBytes += end - from;
        if (headerBytes > maxHeaderBytes)
        {
            return fault(WireFault.HEAD_TOO_LARGE);
        }
        return HeadScanner.headerLine(buffer, from, end, head) || fault(WireFault.MALFORMED_HEAD);
    }

    private boolean headEnd()
    {
        if (!HeadScanner.framingIsSound(head))
        {
            return fault(WireFault.MALFORMED_HEAD);
        }
        final WireState bodyState = body.begin(head);
        state = bodyState;
        listener.onHead(head);
        if (state == WireState.BROKEN)
        {
            return false; // the listener closed the connection
        }
        if (bodyState == WireState.REQUEST_LINE)
        {
            end();
        }
        return true;
    }

    private boolean bodyStep(final ByteBuf buffer)
    {
        final WireState next = body.step(state, buffer, listener);
        if (state == WireState.BROKEN)
        {
            return false; // the listener closed the connection while taking a piece
        }
        if (next == null)
        {
            return false;
        }
        if (next == WireState.BROKEN)
        {
            return fault(WireFault.BROKEN_BODY);
        }
        state = next;
        if (next == WireState.REQUEST_LINE)
        {
            end();
        }
        return true;
    }

    private void end()
    {
        deadline.end();
        listener.onEnd();
    }

    /** Stops reading and tells the listener; false, so that a step can return it. */
    private boolean fault(final WireFault fault)
    {
        stop();
        listener.onFault(fault);
        return false;
    }

    private void releaseCumulation()
    {
        if (cumulation != null)
        {
            cumulation.release();
            cumulation = null;
        }
    }
}
