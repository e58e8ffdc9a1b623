package io.tally.engine.http.wire;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Writes down what a reader tells, one line per request event; a body's pieces are joined. */
final class RecordingListener implements RequestListener
{
    final List<String> events = new ArrayList<>();
    private final StringBuilder body = new StringBuilder();
    /** Set by a test: the listener holds the next request back when a request ends. */
    RequestReader holdOn;

    @Override
    public void onHead(final WireHead head)
    {
        events.add("head " + head.method() + " " + head.target() + (head.isHttp11() ? " 1.1" : " 1.0") +
            " length=" + head.contentLength() + (head.isChunked() ? " chunked" : "") +
            (head.isKeepAlive() ? "" : " close") + (head.expectsContinue() ? " continue" : "") +
            (head.userAgent().isPresent() ? " ua=" + head.userAgent() : "") +
            (head.origin().isPresent() ? " origin=" + head.origin() : ""));
    }

    @Override
    public void onBody(final ByteBuf buffer, final int from, final int to)
    {
        body.append(buffer.toString(from, to - from, StandardCharsets.ISO_8859_1));
    }

    @Override
    public void onEnd()
    {
        events.add("end " + body);
        body.setLength(0);
        if (holdOn != null)
        {
            holdOn.hold();
        }
    }

    @Override
    public void onFault(final WireFault fault)
    {
        events.add("fault " + fault);
    }

    @Override
    public void onReadTimeout()
    {
        events.add("timeout");
    }
}
