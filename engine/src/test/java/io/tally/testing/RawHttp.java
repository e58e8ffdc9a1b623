package io.tally.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately plain HTTP/1.1 client over one socket, so tests control every byte: fragments, pipelining,
 * missing headers, oversized bodies, half-sent requests.
 */
public final class RawHttp implements AutoCloseable
{
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp(final int port) throws IOException
    {
        this(port, null);
    }

    /** Connects from {@code localAddress} (any 127.x.y.z) to 127.0.0.1:{@code port}. */
    public RawHttp(final int port, final String localAddress) throws IOException
    {
        socket = new Socket();
        if (localAddress != null)
        {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        }
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setSoTimeout(15_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** The bytes of a POST to {@code path} with the given headers (each "Name: value") and body. */
    public static byte[] post(final String path, final String contentType, final byte[] body, final String... headers)
    {
        final StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (contentType != null)
        {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n");
        for (final String header : headers)
        {
            head.append(header).append("\r\n");
        }
        head.append("\r\n");
        return concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), body);
    }

    public static byte[] post(final String path, final String contentType, final String body, final String... headers)
    {
        return post(path, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    public static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    public RawHttp send(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
        return this;
    }

    public RawHttp send(final String text) throws IOException
    {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends a request and reads its answer. */
    public Answer exchange(final byte[] request) throws IOException
    {
        send(request);
        return read();
    }

    /** Reads one answer (status line, headers, body by Content-Length). */
    public Answer read() throws IOException
    {
        return read(true);
    }

    /** Reads the answer to a HEAD request: its status and headers ({@code content-length} too), no body. */
    public Answer readHeadAnswer() throws IOException
    {
        return read(false);
    }

    private Answer read(final boolean withBody) throws IOException
    {
        final String statusLine = readLine();
        final String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1."))
        {
            throw new IOException("not an HTTP answer: '" + statusLine + "'");
        }
        final Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine())
        {
            final int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        final int length = withBody ? Integer.parseInt(headers.getOrDefault("content-length", "0")) : 0;
        final byte[] body = in.readNBytes(length);
        if (body.length != length)
        {
            throw new EOFException("answer body cut short");
        }
        return new Answer(Integer.parseInt(parts[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    /** True when the server closed the connection (reads end of stream within the socket timeout). */
    public boolean isClosedByServer() throws IOException
    {
        try
        {
            return in.read() == -1;
        }
        catch (final java.net.SocketException ex)
        {
            return true;
        }
    }

    /** Closes the sending side only (a half-close): the server sees the end of the requests, answers still come. */
    public void shutdownOutput() throws IOException
    {
        socket.shutdownOutput();
    }

    public void setReadTimeoutMillis(final int millis) throws IOException
    {
        socket.setSoTimeout(millis);
    }

    private String readLine() throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new EOFException("connection closed after '" + line + "'");
            }
            if (b == '\n')
            {
                final byte[] bytes = line.toByteArray();
                final int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }

    /** One HTTP answer. Header names are lower case. */
    public record Answer(int status, Map<String, String> headers, String body)
    {
        public String header(final String name)
        {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }
}
