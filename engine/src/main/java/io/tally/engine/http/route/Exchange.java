package io.tally.engine.http.route;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.tally.codec.DroppedFields;
import io.tally.codec.Outcome;
import io.tally.engine.http.GatheredBody;
import io.tally.engine.http.RequestHead;
import io.tally.engine.identity.IpAddress;

import java.util.function.Function;

/**
 * What a route may read of its connection's request under way and how it answers. The connection's handler
 * implements it: it adds the CORS and connection headers, counts the answer's latency, and keeps the order of
 * answers on the connection.
 */
public interface Exchange
{
    RequestHead request();

    /** The client's address, as the head's checks resolved it (a trusted proxy's forwarded address). */
    IpAddress client();

    ByteBufAllocator alloc();

    /**
     * The body a gathering route was given (empty when there was none), in place: the route reads it, then
     * {@link GatheredBody#release() releases} or {@link GatheredBody#take() takes} it.
     */
    GatheredBody body();

    /** Sends a whole answer. */
    void send(FullHttpResponse response);

    /** A beacon's 202, from prebuilt bytes; what was {@code dropped} goes in a {@code tally-dropped} header. */
    void accepted(DroppedFields dropped);

    /** {@code {"error", "detail"}} with the outcome's status; a 429 or 503 says when to retry. */
    void refuse(Outcome outcome, CharSequence detail, long retryAfterSeconds);

    /**
     * Makes the answer on the API's threads, never on the event loop, and sends it when it is made; with their
     * queue full, a 503 at once. {@code work} must not read the request: take what it needs before.
     */
    void answerOffLoop(Function<ByteBufAllocator, FullHttpResponse> work);
}
