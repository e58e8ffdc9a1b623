package io.tally.explore;

import io.tally.store.state.DamagedStateFileException;
import io.tally.store.state.StateFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The last journal index the event store's files hold, in {@code position} beside them: written atomically and
 * sealed (a state file) only after the files of a round are durable, so whatever a file past it holds was never
 * counted and is sealed again.
 */
final class SealPosition
{
    private static final Logger LOG = LoggerFactory.getLogger("tally");

    private SealPosition()
    {
    }

    /** The recorded position; -1 when there is none, or when it is damaged (everything is then sealed again). */
    static long read(final Path file)
    {
        if (!Files.exists(file))
        {
            return -1;
        }
        try
        {
            return Long.parseLong(new String(StateFile.readBytes(file, false), StandardCharsets.US_ASCII).trim());
        }
        catch (final DamagedStateFileException | NumberFormatException ex)
        {
            LOG.warn("event store: its position cannot be read ({}); the events are sealed again from the journal",
                ex.getMessage());
            return -1;
        }
    }

    static void write(final Path file, final long index)
    {
        StateFile.write(file, Long.toString(index).getBytes(StandardCharsets.US_ASCII));
    }
}
