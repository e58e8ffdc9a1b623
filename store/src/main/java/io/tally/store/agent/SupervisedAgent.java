package io.tally.store.agent;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps a background agent (a journal tailer) alive: when it fails to start or its work throws anything (an
 * {@code InternalError} from a mapped file on a full disk included), the instance is abandoned and, after a
 * backoff that doubles from 100 ms to 30 s, a fresh one is made and started. It never throws to its runner, so the
 * thread never dies; {@link #state()}, {@link #restarts()} and {@link #lastError()} show {@code /healthz} what it
 * is doing.
 */
public final class SupervisedAgent implements Agent
{
    /** What the supervised agent is doing. */
    public enum State
    {
        /** Not started yet. */
        NEW,
        /** Started and working. */
        RUNNING,
        /** It failed; a fresh instance starts when the backoff has passed. */
        BACKING_OFF,
        /** Closed with its runner. */
        CLOSED
    }

    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Running this long without a failure makes the next backoff start from the first again. */
    private static final long HEALTHY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String name;
    private final Supplier<? extends RestartableAgent> factory;
    private final ErrorHandler errors;
    private final java.util.function.LongSupplier nanoTime;
    private RestartableAgent current;
    private long startedAtNanos;
    private long retryAtNanos;
    private long backoffNanos = FIRST_BACKOFF_NANOS;
    private volatile State state = State.NEW;
    private volatile long restarts;
    private volatile String lastError;

    public SupervisedAgent(final String name, final Supplier<? extends RestartableAgent> factory, final ErrorHandler errors)
    {
        this(name, factory, errors, System::nanoTime);
    }

    /** As above, its backoff timed by {@code nanoTime} (a test's clock). */
    SupervisedAgent(final String name, final Supplier<? extends RestartableAgent> factory, final ErrorHandler errors,
        final java.util.function.LongSupplier nanoTime)
    {
        this.nanoTime = nanoTime;
        this.name = name;
        this.factory = factory;
        this.errors = errors;
    }

    @Override
    public void onStart()
    {
        start();
    }

    @Override
    public int doWork()
    {
        if (state == State.BACKING_OFF)
        {
            if (nanoTime.getAsLong() - retryAtNanos >= 0)
            {
                restarts++;
                start();
            }
            return 0;
        }
        try
        {
            return current.doWork();
        }
        catch (final Throwable failure)
        {
            fail(failure);
            return 0;
        }
    }

    private void start()
    {
        try
        {
            current = factory.get();
            current.onStart();
            startedAtNanos = nanoTime.getAsLong();
            state = State.RUNNING;
        }
        catch (final Throwable failure)
        {
            fail(failure);
        }
    }

    private void fail(final Throwable failure)
    {
        lastError = String.valueOf(failure);
        errors.onError(failure);
        abandonQuietly();
        final long now = nanoTime.getAsLong();
        if (state == State.RUNNING && now - startedAtNanos >= HEALTHY_NANOS)
        {
            backoffNanos = FIRST_BACKOFF_NANOS;
        }
        retryAtNanos = now + backoffNanos;
        backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        state = State.BACKING_OFF;
    }

    private void abandonQuietly()
    {
        if (current != null)
        {
            try
            {
                current.abandon();
            }
            catch (final Throwable ignored)
            {
                // what it held is released as far as it could be; the fresh instance opens its own
            }
            current = null;
        }
    }

    /** A running agent closes as it normally does (catching up, writing its state); a failed one writes nothing. */
    @Override
    public void onClose()
    {
        final boolean running = state == State.RUNNING;
        state = State.CLOSED;
        if (running)
        {
            try
            {
                current.onClose();
            }
            catch (final Throwable failure)
            {
                lastError = String.valueOf(failure);
                errors.onError(failure);
                abandonQuietly();
            }
        }
        else if (current != null)
        {
            abandonQuietly();
        }
    }

    public State state()
    {
        return state;
    }

    /** How many times a fresh instance was started after a failure. */
    public long restarts()
    {
        return restarts;
    }

    /** The last failure, one line; null when there was none. */
    public String lastError()
    {
        return lastError;
    }

    @Override
    public String roleName()
    {
        return name;
    }
}
