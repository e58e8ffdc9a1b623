package io.tally.matcher;

import io.tally.codec.Beacon;
import io.tally.codec.EventType;
import io.tally.codec.TextView;

/**
 * The fields of one event that goals can test, as views: the decoded beacon plus what the server derived
 * (the page path, the link's host, the ASIN). Reusable; the engine fills it per event.
 */
public final class MatchInput
{
    private final TextView path = new TextView();
    private final TextView targetHost = new TextView();
    private final TextView asin = new TextView();
    private Beacon beacon;

    public MatchInput wrap(final Beacon beacon)
    {
        this.beacon = beacon;
        path.reset();
        targetHost.reset();
        asin.reset();
        return this;
    }

    public TextView path()
    {
        return path;
    }

    public TextView targetHost()
    {
        return targetHost;
    }

    public TextView asin()
    {
        return asin;
    }

    public EventType type()
    {
        return beacon.type();
    }

    public Beacon beacon()
    {
        return beacon;
    }

    /** The text of a single-valued field; for click goals {@link Field#URL} is the link's destination. */
    TextView text(final Field field)
    {
        switch (field)
        {
            case PATH: return path;
            case URL: return beacon.type() == EventType.PAGEVIEW ? beacon.url() : beacon.target();
            case DOMAIN: return targetHost;
            case ASIN: return asin;
            default:
                if (field.beaconField() == null)
                {
                    throw new IllegalArgumentException(field + " has many values");
                }
                return beacon.field(field.beaconField());
        }
    }
}
