package io.tally.ops;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import javax.net.ssl.SSLException;

/**
 * Why an I/O operation failed, in words: the JDK's exceptions often carry only the file name or no message at
 * all ({@code cannot reach URL: null}), so the command line says the reason from the exception's kind.
 */
final class ErrorReasons
{
    private ErrorReasons()
    {
    }

    /** Why a file could not be read or written: "no such file", "permission denied", "is a directory", ... */
    static String of(final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return "no such file";
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied";
        }
        if (ex instanceof NotDirectoryException)
        {
            return "not a directory";
        }
        if (ex instanceof FileSystemException fs && fs.getReason() != null)
        {
            return lowerCaseFirst(fs.getReason());
        }
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : lowerCaseFirst(ex.getMessage());
    }

    /** The operating system's words ("Is a directory") as the rest of a sentence. */
    private static String lowerCaseFirst(final String message)
    {
        return message.length() > 1 && Character.isUpperCase(message.charAt(0)) && Character.isLowerCase(message.charAt(1)) ?
            Character.toLowerCase(message.charAt(0)) + message.substring(1) : message;
    }

    /** Why a server socket could not be bound: "address already in use", "permission denied", ... */
    static String ofListen(final IOException ex)
    {
        final String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        // Netty's native transport says "bind(..) failed: Address already in use"
        return lowerCaseFirst(message.substring(message.lastIndexOf(": ") + 1).trim());
    }

    /** Why {@code uri} could not be reached: refused, unknown host, timed out, TLS, or the JDK's words. */
    static String ofRequest(final IOException ex, final URI uri)
    {
        if (ex instanceof HttpConnectTimeoutException)
        {
            return "timed out connecting to " + uri.getHost() + ":" + port(uri);
        }
        if (ex instanceof HttpTimeoutException)
        {
            return "timed out waiting for the answer";
        }
        for (Throwable cause = ex; cause != null; cause = cause.getCause())
        {
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException)
            {
                return "unknown host '" + uri.getHost() + "' (DNS lookup failed)";
            }
            if (cause instanceof NoRouteToHostException)
            {
                return "no route to " + uri.getHost();
            }
            if (cause instanceof SSLException)
            {
                return "TLS failed: " + cause.getMessage();
            }
        }
        if (ex instanceof ConnectException)
        {
            return "connection refused by " + uri.getHost() + ":" + port(uri) + " (is the engine running there?)";
        }
        if (ex.getMessage() == null)
        {
            return ex.getClass().getSimpleName();
        }
        return ex.getMessage().contains("header parser received no bytes") || ex.getMessage().contains("closed") ?
            "the connection was closed before an answer came (" + ex.getMessage() + ")" : ex.getMessage();
    }

    private static int port(final URI uri)
    {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }
}
