package io.tally.engine.ingest;

import io.tally.codec.DropReason;
import io.tally.codec.DroppedFields;
import io.tally.codec.Outcome;

/**
 * What became of one event: its {@link Outcome}, what was wrong in one line, when to try again, and how many
 * properties were dropped past the 30th. A flyweight, one per {@link EventIngestor}, valid until its next event,
 * so the happy path allocates nothing to say how it went.
 */
public final class IngestResult
{
    /** When a client should try again after a 503 for a full disk: space comes back by an operator's hand. */
    public static final long DISK_FULL_RETRY_SECONDS = 30;
    /** When a client should try again after a 503 because the journal could not take the event. */
    public static final long JOURNAL_RETRY_SECONDS = 1;

    private Outcome outcome;
    private CharSequence detail;
    /** The detail of a refusal that names what was wrong (an offset, a site): written here, nothing made. */
    private final StringBuilder details = new StringBuilder(128);
    private long retryAfterSeconds;
    private final DroppedFields dropped = new DroppedFields();

    IngestResult begin()
    {
        outcome = null;
        detail = null;
        retryAfterSeconds = 0;
        dropped.clear();
        return this;
    }

    IngestResult accept()
    {
        outcome = Outcome.ACCEPTED;
        // a domain list's later site may have been refused after an earlier one was journaled: the answer is a 202
        detail = null;
        retryAfterSeconds = 0;
        return this;
    }

    /** An event acknowledged without being stored again: its idempotency key was journaled before. */
    IngestResult duplicate()
    {
        outcome = Outcome.DUPLICATE;
        return this;
    }

    /** A robot's event, dropped: answered as an accepted one would be, with the same properties dropped. */
    IngestResult robot(final DroppedFields beaconDropped)
    {
        outcome = Outcome.ROBOT;
        dropped.addAll(beaconDropped);
        return this;
    }

    /** Refuses the event; always returns false, so a stage can end with {@code return result.refuse(...)}. */
    boolean refuse(final Outcome refusal, final String why)
    {
        return refuse(refusal, why, 0);
    }

    boolean refuse(final Outcome refusal, final String why, final long retryAfter)
    {
        outcome = refusal;
        detail = why;
        retryAfterSeconds = retryAfter;
        return false;
    }

    /** Refuses the event with a detail the caller appends to what this returns: the result's own builder. */
    StringBuilder refuseWith(final Outcome refusal)
    {
        return refuseWith(refusal, 0);
    }

    /** {@link #refuseWith(Outcome)}, saying when to retry. */
    StringBuilder refuseWith(final Outcome refusal, final long retryAfter)
    {
        details.setLength(0);
        refuse(refusal, null, retryAfter);
        detail = details;
        return details;
    }

    public Outcome outcome()
    {
        return outcome;
    }

    /**
     * What was wrong with a refused event, one line; null when it was acknowledged. Valid until the next event
     * (it may be the result's own builder): keep its {@code toString()}.
     */
    public CharSequence detail()
    {
        return detail;
    }

    /** Whole seconds a refused client should wait ({@code Retry-After}); 0 when trying again will not help. */
    public long retryAfterSeconds()
    {
        return retryAfterSeconds;
    }

    /** Properties past the 30th that an accepted event did not keep. */
    public int droppedProperties()
    {
        return dropped.count(DropReason.PROPS);
    }

    /**
     * What an accepted body did not keep, by reason (the {@code Tally-Dropped} header): fields of its event, listed
     * domains that are no site, engagements without a session. Valid until the next event.
     */
    public DroppedFields dropped()
    {
        return dropped;
    }

    @Override
    public String toString()
    {
        return outcome + (detail == null ? "" : ": " + detail);
    }
}
