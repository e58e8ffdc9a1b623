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
 * API's own limit on its paths), 413 (and no body is ever sent) when it does not.
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
        final int limit = request.uri().startsWith(AdminApi.PREFIX) ? HttpIngestHandler.MAX_ADMIN_BODY : maxBody;
        if (HttpUtil.getContentLength(request, -1L) > limit)
        {
            return null;
        }
        return super.acceptMessage(request);
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
