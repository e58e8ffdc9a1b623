package io.tally.bench.compare;

/** What the do-nothing server may write for each request it answers, to measure what that writing costs. */
public interface RequestRecords extends AutoCloseable
{
    /** Writes one request's record, on the event loop that answered it. */
    void append();

    @Override
    void close();
}
