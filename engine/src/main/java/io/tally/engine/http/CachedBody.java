package io.tally.engine.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A public, cacheable answer computed once: the bytes, their gzip (kept when smaller), a strong {@code ETag} per
 * representation, and {@code Cache-Control}. Answers GET and HEAD, 304 when {@code If-None-Match} names the
 * representation's tag, gzip only when {@code Accept-Encoding} allows it.
 */
final class CachedBody
{
    private final byte[] plain;
    private final byte[] gzip;
    private final String etag;
    private final String gzipEtag;
    private final String contentType;
    private final String cacheControl;
    private final Map<String, String> headers;

    /** Takes {@code plain} as it is: the caller hands it over and never changes it. */
    CachedBody(final byte[] plain, final String contentType, final String cacheControl)
    {
        this(plain, contentType, cacheControl, Map.of());
    }

    /** As above, with more {@code headers} on every answer (a page's security policy). */
    CachedBody(final byte[] plain, final String contentType, final String cacheControl, final Map<String, String> headers)
    {
        this.headers = Map.copyOf(headers);
        this.plain = plain;
        final byte[] gzipped = gzip(plain);
        this.gzip = gzipped.length < plain.length ? gzipped : null;
        final String hash = sha256(plain);
        this.etag = '"' + hash + '"';
        this.gzipEtag = '"' + hash + "-gz\"";
        this.contentType = contentType;
        this.cacheControl = cacheControl;
    }

    /** The answer to {@code method} (GET or HEAD) given the request's validators and accepted encodings. */
    FullHttpResponse respond(final HttpMethod method, final String ifNoneMatch, final String acceptEncoding)
    {
        final boolean gzipped = gzip != null && acceptsGzip(acceptEncoding);
        final String tag = gzipped ? gzipEtag : etag;
        final byte[] bytes = gzipped ? gzip : plain;
        final boolean notModified = matches(ifNoneMatch, tag);
        final boolean withBody = !notModified && method != HttpMethod.HEAD;
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
            withBody ? Unpooled.wrappedBuffer(bytes) : Unpooled.EMPTY_BUFFER);
        final HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.ETAG, tag);
        headers.set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        headers.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        this.headers.forEach(headers::set);
        if (!notModified)
        {
            headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            if (gzipped)
            {
                headers.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
            }
        }
        return response;
    }

    /** Whether {@code ifNoneMatch} ({@code *} or a list of tags, weak or strong) names {@code tag}. */
    static boolean matches(final String ifNoneMatch, final String tag)
    {
        if (ifNoneMatch == null)
        {
            return false;
        }
        for (final String candidate : ifNoneMatch.split(","))
        {
            final String trimmed = candidate.trim();
            if (trimmed.equals("*") || trimmed.equals(tag) || (trimmed.startsWith("W/") && trimmed.substring(2).equals(tag)))
            {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code acceptEncoding} lists gzip without {@code q=0}. */
    static boolean acceptsGzip(final String acceptEncoding)
    {
        if (acceptEncoding == null)
        {
            return false;
        }
        for (final String coding : acceptEncoding.split(","))
        {
            final String[] parts = coding.split(";");
            if (parts[0].trim().equalsIgnoreCase("gzip"))
            {
                return parts.length == 1 || !parts[1].trim().replace(" ", "").matches("q=0(\\.0*)?");
            }
        }
        return false;
    }

    private static byte[] gzip(final byte[] bytes)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)
        {
            {
                def.setLevel(9);
            }
        })
        {
            gzip.write(bytes);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    private static String sha256(final byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("the JDK has no SHA-256", ex);
        }
    }
}
