package io.tally.engine.http.route;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.CharsetUtil;
import io.tally.engine.http.RequestHead;
import io.tally.engine.http.ServiceAnswers;

/** {@code /api/...} other than events: the admin, stats and limits API, answered off the event loop. */
public final class ApiRoute implements RouteHandler
{
    private final Exchange exchange;
    private final ServiceAnswers services;

    public ApiRoute(final Exchange exchange, final ServiceAnswers services)
    {
        this.exchange = exchange;
        this.services = services;
    }

    @Override
    public Body body()
    {
        return Body.GATHERED;
    }

    @Override
    public void onRead()
    {
        // what the answer needs is taken now, on the loop: the request head is the next request's once this returns
        final RequestHead request = exchange.request();
        final HttpMethod method = request.method();
        final String uri = request.uri();
        final String authorization = request.authorization();
        final ByteBuf body = exchange.body().take();
        final String text;
        try
        {
            text = body.toString(CharsetUtil.UTF_8);
        }
        finally
        {
            body.release();
        }
        exchange.answerOffLoop(alloc -> services.admin(alloc, method, uri, authorization, text));
    }
}
