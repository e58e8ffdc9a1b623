package io.tally.bench.compare;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The least HTTP/1.1 a server can read for the load generator's requests: the end of the head, then the body
 * by {@code Content-Length} (none without it), each request answered with the prebuilt 202. An experiment on
 * what Netty's HTTP decoder costs the ceiling; a request with {@code Transfer-Encoding} closes the connection.
 */
final class RequestScanner extends ByteToMessageDecoder
{
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding:".getBytes(StandardCharsets.US_ASCII);

    private final Runnable onRequest;
    private boolean answered;

    RequestScanner(final Runnable onRequest)
    {
        this.onRequest = onRequest;
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        while (in.isReadable())
        {
            final int bodyStart = headEnd(in);
            if (bodyStart < 0)
            {
                return;
            }
            final long length = contentLength(in, in.readerIndex(), bodyStart);
            if (length < 0)
            {
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
            if (in.writerIndex() - bodyStart < length)
            {
                return;
            }
            in.readerIndex(bodyStart + (int)length);
            onRequest.run();
            ctx.write(NullServer.ACCEPTED.duplicate(), ctx.voidPromise());
            answered = true;
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx) throws Exception
    {
        if (answered)
        {
            answered = false;
            ctx.flush();
        }
        super.channelReadComplete(ctx);
    }

    /** Where the body starts (after the blank line), or -1 while the head is not all here. */
    private static int headEnd(final ByteBuf in)
    {
        for (int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte)'\n'); lf >= 0;
            lf = in.indexOf(lf + 1, in.writerIndex(), (byte)'\n'))
        {
            if (lf + 2 < in.writerIndex() && in.getByte(lf + 1) == '\r' && in.getByte(lf + 2) == '\n')
            {
                return lf + 3;
            }
        }
        return -1;
    }

    /** The head's {@code Content-Length}, 0 without one, -1 for a {@code Transfer-Encoding} it does not read. */
    private static long contentLength(final ByteBuf in, final int from, final int to)
    {
        long length = 0;
        for (int line = in.indexOf(from, to, (byte)'\n') + 1; line > 0 && line < to;
            line = in.indexOf(line, to, (byte)'\n') + 1)
        {
            if (startsWithIgnoringCase(in, line, to, TRANSFER_ENCODING))
            {
                return -1;
            }
            if (startsWithIgnoringCase(in, line, to, CONTENT_LENGTH))
            {
                length = 0;
                for (int i = line + CONTENT_LENGTH.length; i < to; i++)
                {
                    final byte b = in.getByte(i);
                    if (b >= '0' && b <= '9')
                    {
                        length = length * 10 + (b - '0');
                    }
                    else if (b != ' ')
                    {
                        break;
                    }
                }
            }
        }
        return length;
    }

    private static boolean startsWithIgnoringCase(final ByteBuf in, final int at, final int to, final byte[] lowerCase)
    {
        if (to - at < lowerCase.length)
        {
            return false;
        }
        for (int i = 0; i < lowerCase.length; i++)
        {
            if ((in.getByte(at + i) | 0x20) != lowerCase[i])
            {
                return false;
            }
        }
        return true;
    }
}
