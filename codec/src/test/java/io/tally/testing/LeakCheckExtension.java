package io.tally.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Makes a Netty buffer leak a test failure. Registered for every test class through JUnit's extension
 * auto-detection (this module's test jar carries the service file and {@code junit-platform.properties}).
 * It installs a leak detector factory that records leaks instead of only logging them; after each test
 * class it collects garbage, makes Netty poll its leak queue, and fails when anything leaked. Surefire runs
 * with {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked.
 */
public final class LeakCheckExtension implements AfterAllCallback
{
    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static
    {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterAll(final ExtensionContext context)
    {
        for (int round = 0; round < 3; round++)
        {
            System.gc();
            System.runFinalization();
            pollLeakQueue();
            sleep(20);
        }
        final List<String> leaks = new ArrayList<>(LEAKS);
        LEAKS.clear();
        if (!leaks.isEmpty())
        {
            fail("Netty buffers leaked in or before " + context.getDisplayName() + ":\n" + String.join("\n", leaks));
        }
    }

    /** A tracked allocation makes the detector drain its reference queue and report what was collected. */
    private static void pollLeakQueue()
    {
        for (int i = 0; i < 64; i++)
        {
            final ByteBuf buffer = PooledByteBufAllocator.DEFAULT.buffer(8);
            buffer.release();
        }
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory
    {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(final Class<T> resource, final int samplingInterval,
            final long maxActive)
        {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T>
    {
        RecordingDetector(final Class<T> resource, final int samplingInterval)
        {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(final String resourceType, final String records)
        {
            LEAKS.add("LEAK " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(final String resourceType)
        {
            LEAKS.add("LEAK " + resourceType + " (untraced)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
