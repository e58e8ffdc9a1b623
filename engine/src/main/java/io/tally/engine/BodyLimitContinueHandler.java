package io.tally.engine;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Answers {@code Expect: 100-continue}: 100 when the announced body fits {@code --max-body} (the admin
 * API's own limit on its paths; none for streamed batches of trusted events), 413 (and no body is ever sent)
 * when it does not.
 */
final class BodyLimitContinueHandler extends HttpServerExpectContinueHandler
{
    private final int maxBody;

    BodyLimitContinueHandler(final int maxBody)
    {
        this.maxBody = maxBody;
    }

    @Override
    protected HttpResponse acceptMessage(final HttpRequest request)
    {
        if (HttpUtil.getContentLength(request, -1L) > limitFor(request.uri()))
        {
            return null;
        }
        return super.acceptMessage(request);
    }

    /** Batches of trusted events are streamed, so they have no size limit; only their lines do. */
    private long limitFor(final String uri)
    {
        if (uri.startsWith(Route.TRUSTED_PATH))
        {
            return Long.MAX_VALUE;
        }
        return uri.startsWith(AdminApi.PREFIX) ? HttpIngestHandler.MAX_ADMIN_BODY : maxBody;
    }

    @Override
    protected HttpResponse rejectResponse(final HttpRequest request)
    {
        final DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.EMPTY_BUFFER);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
