package io.tally.engine.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.tally.codec.Outcome;
import io.tally.codec.json.Json;

/** Whole HTTP answers as the engine sends them (the handler adds CORS and connection headers on sending). */
public final class Responses
{
    private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");

    private Responses()
    {
    }

    public static FullHttpResponse of(final HttpResponseStatus status, final ByteBuf content)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return response;
    }

    public static FullHttpResponse json(final ByteBufAllocator alloc, final HttpResponseStatus status, final CharSequence json)
    {
        final FullHttpResponse response = of(status, ByteBufUtil.writeUtf8(alloc, json));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, APPLICATION_JSON);
        return response;
    }

    /** {@code {"error": code, "detail": ...}}. */
    public static FullHttpResponse error(final ByteBufAllocator alloc, final HttpResponseStatus status, final Outcome outcome,
        final String detail)
    {
        return json(alloc, status, errorJson(new StringBuilder(96), outcome, detail));
    }

    /** Appends {@code {"error": code, "detail": ...}} to {@code json} (which may be reused: nothing is made). */
    static StringBuilder errorJson(final StringBuilder json, final Outcome outcome, final CharSequence detail)
    {
        json.append("{\"error\":\"").append(outcome.code()).append("\",\"detail\":");
        Json.writeString(json, detail == null ? outcome.code() : detail);
        return json.append('}');
    }
}
