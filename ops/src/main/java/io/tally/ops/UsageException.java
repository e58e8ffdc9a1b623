package io.tally.ops;

/** A command line or configuration the user must fix; printed without a stack trace, exit code 2. */
final class UsageException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    UsageException(final String message)
    {
        super(message);
    }
}
