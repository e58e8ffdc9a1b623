package io.tally.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP receiver on loopback for the engine's conversion webhooks: it answers every POST 200 and keeps
 * the {@code Tally-Event-Id}s it was told about (the journal index of the converting event).
 */
final class WebhookReceiver implements AutoCloseable
{
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final Set<String> eventIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong deliveries = new AtomicLong();

    WebhookReceiver() throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/hook", this::receive);
        server.setExecutor(threads);
        server.start();
    }

    String url()
    {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private void receive(final HttpExchange exchange) throws IOException
    {
        exchange.getRequestBody().readAllBytes();
        final String id = exchange.getRequestHeaders().getFirst("Tally-Event-Id");
        if (id != null)
        {
            eventIds.add(id);
        }
        deliveries.incrementAndGet();
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    /** The journal indices of the conversions announced so far. */
    Set<String> eventIds()
    {
        return Set.copyOf(eventIds);
    }

    /** Every POST received, repeats included. */
    long deliveries()
    {
        return deliveries.get();
    }

    @Override
    public void close()
    {
        server.stop(0);
        threads.shutdownNow();
    }
}
