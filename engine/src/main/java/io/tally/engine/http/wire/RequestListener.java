package io.tally.engine.http.wire;

import io.netty.buffer.ByteBuf;

/** What a {@link RequestReader} tells of the requests it reads, in order, on the connection's event loop. */
public interface RequestListener
{
    /** A request's head is read whole and sound; its body (if any) follows. */
    void onHead(WireHead head);

    /**
     * A piece of the request's body, at {@code [from, to)} of {@code buffer}: valid during the call only, unless
     * the listener retains the buffer (whose indexes it must not move).
     */
    void onBody(ByteBuf buffer, int from, int to);

    /** The request is read whole. The listener may {@link RequestReader#hold()} the next one back. */
    void onEnd();

    /** The reader stopped: nothing more of the connection is read. */
    void onFault(WireFault fault);

    /** The request under way was not read whole within the read timeout. */
    void onReadTimeout();
}
