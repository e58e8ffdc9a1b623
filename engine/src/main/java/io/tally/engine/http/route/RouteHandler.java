package io.tally.engine.http.route;

import io.netty.buffer.ByteBuf;

/**
 * What one route does with a request: how it takes the body, and its answer once the request has been read whole
 * and passed the checks of its head. One object per route and connection, made when the route is first asked for;
 * it answers through its connection's {@link Exchange}, which keeps the connection's states.
 */
public interface RouteHandler
{
    /** How a route takes a request's body. */
    enum Body
    {
        /** Read past and dropped. */
        IGNORED,
        /** Gathered whole (without copying) up to the route's limit; {@link Exchange#body()} hands it over. */
        GATHERED,
        /** Handed over piece by piece as it arrives ({@link #onPiece}): a stream of any length. */
        STREAMED
    }

    default Body body()
    {
        return Body.IGNORED;
    }

    /** A streamed route's request begins: its head is read. */
    default void onHead()
    {
    }

    /** A piece of a streamed route's body, {@code [from, to)} of {@code buffer}, valid only during the call. */
    default void onPiece(final ByteBuf buffer, final int from, final int to)
    {
    }

    /** The request was read whole and not refused: answer it. */
    void onRead();
}
