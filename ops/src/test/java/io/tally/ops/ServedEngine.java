package io.tally.ops;

import io.tally.engine.EngineConfig;
import io.tally.notify.NotifierConfig;
import io.tally.testing.TestEngine;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** A {@link TestEngine} with the notifier beside it, composed as {@code tally serve} composes them. */
final class ServedEngine
{
    private ServedEngine()
    {
    }

    static TestEngine start(final Path dataDir)
    {
        return start(dataDir, UnaryOperator.identity());
    }

    static TestEngine start(final Path dataDir, final UnaryOperator<EngineConfig.Builder> customize)
    {
        return TestEngine.start(dataDir, customize, engine -> ServeCommand.startNotifier(engine, NotifierConfig.DEFAULTS));
    }
}
