package io.tally.engine.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An answer whose body is a file (an export), sent as it is from the disk ({@code sendfile}), never read into memory.
 * The file is opened and deleted at once when the answer is made: the open channel keeps its bytes until the answer
 * is sent (or dropped), and nothing is left behind whatever happens to the connection. The handler sends
 * {@link #head()}, then {@link #body()}, then the last content.
 */
final class FileAnswer extends DefaultFullHttpResponse
{
    private FileChannel file;
    private final long size;

    private FileAnswer(final HttpResponseStatus status, final FileChannel file, final long size)
    {
        super(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        this.file = file;
        this.size = size;
        headers().set(HttpHeaderNames.CONTENT_LENGTH, size);
    }

    /** Opens {@code path} as the body of an answer, and deletes it. */
    static FileAnswer open(final HttpResponseStatus status, final String contentType, final Path path)
    {
        try
        {
            final FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            Files.delete(path);
            final FileAnswer answer = new FileAnswer(status, channel, channel.size());
            answer.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            return answer;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open the answer's file: " + ex.getMessage(), ex);
        }
    }

    /** The status line and headers, without the body. */
    HttpResponse head()
    {
        final DefaultHttpResponse head = new DefaultHttpResponse(protocolVersion(), status());
        head.headers().set(headers());
        return head;
    }

    /** The body: the file's region, which closes the file once sent; the answer no longer owns it. */
    DefaultFileRegion body()
    {
        final DefaultFileRegion region = new DefaultFileRegion(file, 0, size);
        file = null;
        return region;
    }

    @Override
    public boolean release()
    {
        closeFile();
        return super.release();
    }

    private void closeFile()
    {
        try
        {
            if (file != null)
            {
                file.close();
                file = null;
            }
        }
        catch (final IOException ex)
        {
            // already deleted: closing only gives the space back
        }
    }
}
