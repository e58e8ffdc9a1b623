package io.tally.engine.metrics;

import io.netty.util.concurrent.FastThreadLocal;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.atomic.LongAdder;

/**
 * Requests by endpoint and HTTP status, and their latency per endpoint. Every label combination is made once,
 * at start (an array indexed by endpoint and status slot), and each thread's latency recorders at its first
 * request, so recording is an add to a {@link LongAdder} and a wait-free HdrHistogram record into the thread's
 * own recorder: nothing is allocated per request.
 */
public final class RequestMetrics
{
    /** The statuses Tally answers with; anything else is counted under {@code other}. */
    static final int[] STATUSES = {200, 201, 202, 204, 400, 401, 403, 404, 405, 408, 409, 413, 415, 429, 431, 500, 503};
    private static final int OTHER_SLOT = STATUSES.length;
    private static final int SLOTS = STATUSES.length + 1;
    private static final byte[] SLOT_OF_STATUS = slots();

    private final LongAdder[] requests = new LongAdder[Endpoint.count() * SLOTS];
    private final LatencySummary[] latency = new LatencySummary[Endpoint.count()];
    private final FastThreadLocal<SingleWriterRecorder[]> recorders = new FastThreadLocal<>()
    {
        @Override
        protected SingleWriterRecorder[] initialValue()
        {
            final SingleWriterRecorder[] own = new SingleWriterRecorder[latency.length];
            for (int i = 0; i < own.length; i++)
            {
                own[i] = latency[i].newRecorder();
            }
            return own;
        }
    };

    public RequestMetrics()
    {
        for (int i = 0; i < requests.length; i++)
        {
            requests[i] = new LongAdder();
        }
        for (int i = 0; i < latency.length; i++)
        {
            latency[i] = new LatencySummary();
        }
    }

    /** One answered request: its endpoint, HTTP status and the nanoseconds from its head to its answer. */
    public void record(final Endpoint endpoint, final int status, final long nanos)
    {
        final int slot = status >= 0 && status < SLOT_OF_STATUS.length ? SLOT_OF_STATUS[status] : OTHER_SLOT;
        requests[endpoint.ordinal() * SLOTS + slot].increment();
        LatencySummary.record(recorders.get()[endpoint.ordinal()], nanos);
    }

    /** Requests so far with this endpoint and status slot ({@link #statusLabel(int)}). */
    long requests(final Endpoint endpoint, final int slot)
    {
        return requests[endpoint.ordinal() * SLOTS + slot].sum();
    }

    static int slotCount()
    {
        return SLOTS;
    }

    static String statusLabel(final int slot)
    {
        return slot == OTHER_SLOT ? "other" : Integer.toString(STATUSES[slot]);
    }

    LatencySummary latency(final Endpoint endpoint)
    {
        return latency[endpoint.ordinal()];
    }

    private static byte[] slots()
    {
        final byte[] slots = new byte[600];
        java.util.Arrays.fill(slots, (byte)OTHER_SLOT);
        for (int i = 0; i < STATUSES.length; i++)
        {
            slots[STATUSES[i]] = (byte)i;
        }
        return slots;
    }
}
