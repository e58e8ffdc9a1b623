package io.tally.ops;

/** A command that could not do its work, said in one line (what failed and why); exit code 1, no stack trace. */
final class CommandFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    CommandFailure(final String message)
    {
        super(message);
    }
}
