package io.tally.store.state;

import java.nio.file.Path;

/** A state file that cannot be trusted: unreadable, cut short, emptied, its seal broken, or its contents not decodable. */
public final class DamagedStateFileException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    public DamagedStateFileException(final Path file, final String reason)
    {
        this(file, reason, null);
    }

    public DamagedStateFileException(final Path file, final String reason, final Throwable cause)
    {
        super(file + " is damaged: " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    public Path file()
    {
        return file;
    }

    /** Why the file is not trusted, one line. */
    public String reason()
    {
        return reason;
    }
}
