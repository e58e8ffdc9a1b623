package io.tally.engine.metrics;

/** What a request was for, as the metrics label it ({@code endpoint="event"}). */
public enum Endpoint
{
    EVENT("event"),
    TRUSTED("events"),
    PREFLIGHT("preflight"),
    HEALTH("healthz"),
    METRICS("metrics"),
    ADMIN("admin"),
    PUBLIC("public"),
    OTHER("other");

    private static final Endpoint[] VALUES = values();

    private final String label;

    Endpoint(final String label)
    {
        this.label = label;
    }

    public String label()
    {
        return label;
    }

    public static int count()
    {
        return VALUES.length;
    }

    public static Endpoint get(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
