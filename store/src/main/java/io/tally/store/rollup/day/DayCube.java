package io.tally.store.rollup.day;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.codec.EventType;

/**
 * One site's open UTC day (or the delta of a sealed one): journal records counted into {@link Cells} keyed by
 * hour and by ids of the day's own {@link Dictionary}, visitors and sessions as {@link Ordinals}. Applying a record
 * whose texts the day has seen allocates nothing. Written by the rollup agent only; queries read it under the
 * rollups' lock.
 * <p>
 * Attribution lives here too, by ordinal: each session's entry page and source (from its first event), each
 * visitor's first source and first time. Visitor and session ids are salted per UTC day, so a day's touches are
 * all there is to remember: they go with the day into its segment, where a delta's late events find them.
 */
public final class DayCube implements DayFigures
{
    /** The meta fields counted, in the order of their {@link CellKind#META} field key. */
    static final int[] META_FIELDS = {EventRecord.LABEL, EventRecord.ACTION, EventRecord.CATEGORY};
    public static final String OTHER = RollupCaps.OTHER;
    /** The name a browser, system or device is counted under when its User-Agent said nothing known. */
    public static final String UNKNOWN = "(unknown)";
    /** Device classes: {@code EventRecord.DEVICE_} codes 0 (unknown) to 4 (other). */
    /** Source dimensions: referrer domain, utm_source, utm_medium, utm_campaign. */
    public static final int DIMENSIONS = 4;

    private final long day;
    private final Dictionary strings = new Dictionary();
    private final Cells cells = new Cells();
    private final Ordinals visitors;
    private final Ordinals sessions;
    private final CapCounts caps = new CapCounts();
    private final int[] totals = new int[CellKind.HOURS];
    private final int other;
    private final AudienceCells audience;
    private final SourceParser sources;
    private final KnownTouches known;
    private long[] firstSeen = new long[256];
    private int[] visitorSources = new int[256 * DIMENSIONS];
    private int[] entryPages = new int[256];
    private int[] sessionSources = new int[256 * DIMENSIONS];
    /** The touch of the record being applied: entry page, then its session's four sources, its visitor's four. */
    private final int[] touch = new int[1 + 2 * DIMENSIONS];
    private long touchFirstSeen;
    private long records;
    /** The day's own sessions' rows (row n is session ordinal first() + n), and a delta's of the sealed day's. */
    private final SessionStates ownSessions = new SessionStates();
    private final SessionStates knownSessions = new SessionStates();
    private final org.agrona.collections.Int2IntHashMap knownRows = new org.agrona.collections.Int2IntHashMap(-1);
    private boolean newSession;

    public DayCube(final long day)
    {
        this(day, 0, 0);
    }

    /** A new day expecting about as many visitors and sessions as the site's previous one had. */
    public DayCube(final long day, final int expectedVisitors, final int expectedSessions)
    {
        this(day, new Ordinals(Ordinals.Known.NONE, expectedVisitors), new Ordinals(Ordinals.Known.NONE, expectedSessions),
            KnownTouches.NONE);
    }

    /** A delta of a sealed day: visitors and sessions the day knows keep their ordinals and their touches. */
    public DayCube(final long day, final Ordinals.Known knownVisitors, final Ordinals.Known knownSessions,
        final KnownTouches known)
    {
        this(day, new Ordinals(knownVisitors), new Ordinals(knownSessions), known);
    }

    private DayCube(final long day, final Ordinals visitors, final Ordinals sessions, final KnownTouches known)
    {
        this.day = day;
        this.visitors = visitors;
        this.sessions = sessions;
        this.known = known;
        this.other = strings.id(OTHER);
        this.sources = new SourceParser(strings);
        this.audience = new AudienceCells(strings, cells, caps, other);
        java.util.Arrays.fill(totals, Cells.NONE);
    }

    @Override
    public long day()
    {
        return day;
    }

    @Override
    public boolean hasWholeDayCells()
    {
        return false;
    }

    @Override
    public void cells(final CellKind kind, final int fromHour, final int toHour, final java.util.function.IntConsumer visitor)
    {
        for (int cell = 0; cell < cells.count(); cell++)
        {
            final int hour = cells.hour(cell);
            if (cells.kind(cell) == kind && hour >= fromHour && hour < toHour)
            {
                visitor.accept(cell);
            }
        }
    }

    @Override
    public int key1(final int cell)
    {
        return cells.key1(cell);
    }

    @Override
    public int key2(final int cell)
    {
        return cells.key2(cell);
    }

    @Override
    public int key3(final int cell)
    {
        return cells.key3(cell);
    }

    @Override
    public long count0(final int cell)
    {
        return cells.count0(cell);
    }

    @Override
    public long count1(final int cell)
    {
        return cells.count1(cell);
    }

    @Override
    public long count2(final int cell)
    {
        return cells.count2(cell);
    }

    @Override
    public java.math.BigDecimal money(final int cell)
    {
        return cells.money(cell);
    }

    @Override
    public org.roaringbitmap.ImmutableBitmapDataProvider bitmap0(final int cell)
    {
        return cells.bitmap0(cell);
    }

    @Override
    public org.roaringbitmap.ImmutableBitmapDataProvider bitmap1(final int cell)
    {
        return cells.bitmap1(cell);
    }

    @Override
    public long cardinality0(final int cell)
    {
        return cells.bitmap0(cell) == null ? 0 : cells.bitmap0(cell).getLongCardinality();
    }

    @Override
    public long cardinality1(final int cell)
    {
        return cells.bitmap1(cell) == null ? 0 : cells.bitmap1(cell).getLongCardinality();
    }

    @Override
    public org.HdrHistogram.Histogram histogram(final int cell)
    {
        return cells.histogram(cell);
    }

    @Override
    public String string(final int id)
    {
        return strings.string(id);
    }

    /**
     * Counts one record of this day, {@code hour} its hour of the day. A robot's record (journaled flagged under
     * {@code --keep-bots}) is not counted: the reports are about people.
     */
    public void apply(final EventRecordDecoder record, final int hour)
    {
        if (record.robotReason() != EventRecord.ROBOT_NONE)
        {
            return;
        }
        if (record.isBackfill())
        {
            applyBackfill(record, hour);
            return;
        }
        records++;
        // the visitor's slot is read while the session's is looked up: both tables are large, so both usually miss
        visitors.prefetch(record.visitorId());
        final int session = session(record);
        final int visitor = visitor(record, session);
        final int total = total(hour);
        cells.addBitmap0(total, visitor);
        cells.addBitmap1(total, session);
        applySiteWide(record, hour, visitor, session);
        if (record.hasFlag(EventRecord.FLAG_REVENUE))
        {
            cells.addMoney(cells.cell(CellKind.REVENUE, hour, currency(record, EventRecord.CURRENCY_OFFSET), 0, 0),
                record.revenueUnscaled(), record.revenueScale());
        }
        final EventType type = record.type();
        if (type == EventType.PAGEVIEW)
        {
            cells.add0(total, 1);
        }
        else if (type != EventType.ENGAGEMENT)
        {
            cells.add1(total, 1);
            applyName(record, hour, visitor);
        }
        for (int field = 0; field < META_FIELDS.length; field++)
        {
            if (record.stringLength(META_FIELDS[field]) > 0)
            {
                cells.add0(capped(CellKind.META, hour, field, 0, record, META_FIELDS[field], CapCounts.META,
                    CapCounts.MAX_VALUES), 1);
            }
        }
        if (record.hasFlag(EventRecord.FLAG_GOAL))
        {
            applyGoal(record, hour, visitor, session);
        }
        audience.apply(record, hour, visitor);
    }

    /** Starts a batch of records: visitors and sessions may be held back in {@code runs} until {@link #flush()}. */
    public void beginBatch(final SortedRuns runs)
    {
        cells.beginBatch(runs);
    }

    /** Puts the visitors and sessions held back during a batch into their bitmaps: before anything reads the day. */
    public void flush()
    {
        cells.flush();
    }

    /**
     * A backfilled conversion: its event was counted already (as an event, under its visitor, session, page and
     * audience), so only the goal's figures are counted, as they would have been had the goal matched it then.
     */
    private void applyBackfill(final EventRecordDecoder record, final int hour)
    {
        final int session = session(record);
        final int visitor = visitor(record, session);
        applyGoal(record, hour, visitor, session);
        audience.applyConversion(record, hour, visitor);
    }

    /** The record's session ordinal; a session new to the day gets its entry page and source from this record. */
    private int session(final EventRecordDecoder record)
    {
        final int before = sessions.added();
        final int session = sessions.ordinal(record.sessionId());
        newSession = sessions.added() > before;
        if (newSession)
        {
            final int n = before;
            if (n == entryPages.length)
            {
                entryPages = java.util.Arrays.copyOf(entryPages, n * 2);
                sessionSources = java.util.Arrays.copyOf(sessionSources, n * 2 * DIMENSIONS);
            }
            sources.session(record, entryPages, n, sessionSources, n * DIMENSIONS);
        }
        return session;
    }

    /** The record's visitor ordinal; a visitor new to the day is first seen now, from this session's source. */
    private int visitor(final EventRecordDecoder record, final int session)
    {
        final int before = visitors.added();
        final int visitor = visitors.ordinal(record.visitorId());
        if (visitors.added() > before)
        {
            final int n = before;
            if (n == firstSeen.length)
            {
                firstSeen = java.util.Arrays.copyOf(firstSeen, n * 2);
                visitorSources = java.util.Arrays.copyOf(visitorSources, n * 2 * DIMENSIONS);
            }
            firstSeen[n] = record.eventTime();
            sessionSource(session, visitorSources, n * DIMENSIONS);
        }
        return visitor;
    }

    /** The session's four sources, into {@code into} at {@code at}. */
    private void sessionSource(final int session, final int[] into, final int at)
    {
        final int n = session - sessions.first();
        if (n >= 0)
        {
            System.arraycopy(sessionSources, n * DIMENSIONS, into, at, DIMENSIONS);
            return;
        }
        for (int d = 0; d < DIMENSIONS; d++)
        {
            into[at + d] = strings.id(known.sessionSource(session, d));
        }
    }

    /** Fills {@link #touch} and {@link #touchFirstSeen} for a converting record. */
    private void loadTouch(final int visitor, final int session)
    {
        final int s = session - sessions.first();
        touch[0] = s >= 0 ? entryPages[s] : strings.id(known.entryPage(session));
        sessionSource(session, touch, 1);
        final int v = visitor - visitors.first();
        if (v >= 0)
        {
            System.arraycopy(visitorSources, v * DIMENSIONS, touch, 1 + DIMENSIONS, DIMENSIONS);
            touchFirstSeen = firstSeen[v];
            return;
        }
        for (int d = 0; d < DIMENSIONS; d++)
        {
            touch[1 + DIMENSIONS + d] = strings.id(known.visitorSource(visitor, d));
        }
        touchFirstSeen = known.firstSeen(visitor);
    }

    /**
     * The site-wide figures: a pageview's page, an engagement's time and scroll depth on its page, and the session's
     * row (its visits, exits, sources and entry page are made from the rows when they are read or written).
     */
    private void applySiteWide(final EventRecordDecoder record, final int hour, final int visitor, final int session)
    {
        if (newSession)
        {
            ownSessions.add(session, visitor);
        }
        final EventType type = record.type();
        final boolean pageview = type == EventType.PAGEVIEW;
        // a session's first record's page is its entry page, found already
        final int page = newSession ? entryPages[session - sessions.first()] :
            pageview || type == EventType.ENGAGEMENT ? pageOf(record) : -1;
        if (pageview)
        {
            final int cell = capped(CellKind.PAGE, hour, CellKind.PAGE_VIEWS, 0, page, CapCounts.PAGES, CapCounts.MAX_VALUES);
            cells.add0(cell, 1);
            cells.addBitmap0(cell, visitor);
            cells.addBitmap1(cell, session);
        }
        if (type == EventType.ENGAGEMENT)
        {
            applyEngagement(record, hour, visitor, page);
            return;
        }
        final int n = session - sessions.first();
        final SessionStates rows = n >= 0 ? ownSessions : knownSessions;
        final int row = n >= 0 ? n : knownRow(session, visitor);
        final long time = record.eventTime();
        rows.event(row, time, page >= 0 || !rows.isLatest(row, time) ? page : pageOf(record), pageview);
    }

    /** Engaged time (ms) and scroll depth on the page, under the page's own cell's text (the page or (other)). */
    private void applyEngagement(final EventRecordDecoder record, final int hour, final int visitor, final int page)
    {
        final int views = capped(CellKind.PAGE, hour, CellKind.PAGE_VIEWS, 0, page, CapCounts.PAGES, CapCounts.MAX_VALUES);
        final int cell = cells.cell(CellKind.PAGE, hour, CellKind.PAGE_ENGAGEMENT, 0, cells.key3(views));
        if (record.hasFlag(EventRecord.FLAG_SECONDS))
        {
            cells.add1(cell, engagedMillis(record.secondsUnscaled(), record.secondsScale()));
        }
        final int depth = record.scrollDepth();
        if (depth >= 0)
        {
            cells.add0(cell, 1);
            cells.add2(cell, depth);
        }
        cells.addBitmap0(cell, visitor);
    }

    /** Seconds as sent ({@code unscaled * 10^-scale}) in whole milliseconds, never below 0. */
    static long engagedMillis(final long unscaled, final int scale)
    {
        if (unscaled <= 0)
        {
            return 0;
        }
        long millis = unscaled;
        for (int s = scale; s < 3; s++)
        {
            millis = millis > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : millis * 10;
        }
        for (int s = 3; s < scale; s++)
        {
            millis /= 10;
        }
        return millis;
    }

    /** The path of the record's page, a text id (within the day's cap on pages and sources, else (other)). */
    private int pageOf(final EventRecordDecoder record)
    {
        return sources.entryPage(record.buffer(), record.stringOffset(EventRecord.URL), record.stringLength(EventRecord.URL));
    }

    /** The row of a sealed day's session a late event continues: as the day left it, made on its first late event. */
    private int knownRow(final int session, final int visitor)
    {
        int row = knownRows.get(session);
        if (row < 0)
        {
            final KnownTouches.KnownSession was = known.session(session);
            row = was == null ? knownSessions.add(session, visitor) : knownSessions.add(session, was.visitor(), was.first(),
                was.last(), strings.id(was.exitPage()), was.pageviews(), was.events());
            final int[] source = new int[SessionRows.SOURCES];
            for (int d = 0; d < DIMENSIONS; d++)
            {
                source[d] = strings.id(known.sessionSource(session, d));
            }
            source[SessionRows.ENTRY] = strings.id(known.entryPage(session));
            knownSessions.sources(row, source);
            knownRows.put(session, row);
        }
        return row;
    }

    /** The rows of the sessions this day changed: a delta's continued sessions (by ordinal), then its own. */
    @Override
    public SessionRows sessionRows()
    {
        final int known = knownSessions.rows();
        final int[] order = new int[known];
        for (int i = 0; i < known; i++)
        {
            order[i] = i;
        }
        final int[] sorted = java.util.stream.IntStream.of(order).boxed()
            .sorted(java.util.Comparator.comparingInt(knownSessions::ordinal)).mapToInt(Integer::intValue).toArray();
        return new SessionRows()
        {
            private SessionStates of(final int row)
            {
                return row < known ? knownSessions : ownSessions;
            }

            private int at(final int row)
            {
                return row < known ? sorted[row] : row - known;
            }

            @Override
            public int rows()
            {
                return known + ownSessions.rows();
            }

            @Override
            public int ordinal(final int row)
            {
                return of(row).ordinal(at(row));
            }

            @Override
            public long first(final int row)
            {
                return of(row).first(at(row));
            }

            @Override
            public long last(final int row)
            {
                return of(row).last(at(row));
            }

            @Override
            public int exitPage(final int row)
            {
                return of(row).exitPage(at(row));
            }

            @Override
            public int pageviews(final int row)
            {
                return of(row).pageviews(at(row));
            }

            @Override
            public int events(final int row)
            {
                return of(row).events(at(row));
            }

            @Override
            public int visitor(final int row)
            {
                return of(row).visitor(at(row));
            }

            @Override
            public int source(final int row, final int d)
            {
                if (row < known)
                {
                    return knownSessions.source(sorted[row], d);
                }
                final int n = row - known;
                return d == SessionRows.ENTRY ? entryPages[n] : sessionSources[n * DIMENSIONS + d];
            }
        };
    }

    /**
     * Restoring a snapshot or merging a day's segments: a session's row, replacing an earlier one of it; its sources
     * ({@link SessionRows#SOURCES} text ids) are kept for a sealed day's session (the day's own have their touches).
     */
    public void restoreSessionRow(final int ordinal, final int visitor, final long first, final long last, final int exitPage,
        final int pageviews, final int events, final int[] source)
    {
        final int n = ordinal - sessions.first();
        if (n < 0)
        {
            int row = knownRows.get(ordinal);
            if (row >= 0)
            {
                knownSessions.set(row, visitor, first, last, exitPage, pageviews, events);
            }
            else
            {
                row = knownSessions.add(ordinal, visitor, first, last, exitPage, pageviews, events);
                knownRows.put(ordinal, row);
            }
            knownSessions.sources(row, source);
            return;
        }
        if (n < ownSessions.rows())
        {
            ownSessions.set(n, visitor, first, last, exitPage, pageviews, events);
            return;
        }
        if (n != ownSessions.rows())
        {
            throw new IllegalStateException("session ordinal " + ordinal + " restored before " + (sessions.first() +
                ownSessions.rows()));
        }
        ownSessions.add(ordinal, visitor, first, last, exitPage, pageviews, events);
    }

    private int total(final int hour)
    {
        int cell = totals[hour];
        if (cell == Cells.NONE)
        {
            cell = cells.cell(CellKind.TOTAL, hour, 0, 0, 0);
            totals[hour] = cell;
        }
        return cell;
    }

    /**
     * Counts an event under its name and each property under its key and value, within the caps: a name or value
     * past its cap counts under {@code (other)}; an event with keys past the cap counts once under key and value
     * {@code (other)}, however many such keys it has. A text past its cap is never added to the day's dictionary.
     */
    private void applyName(final EventRecordDecoder record, final int hour, final int visitor)
    {
        final int nameCell = capped(CellKind.NAME, hour, 0, 0, record, EventRecord.NAME, CapCounts.NAMES, CapCounts.MAX_NAMES);
        final int name = cells.key3(nameCell);
        cells.add0(nameCell, 1);
        cells.addBitmap0(nameCell, visitor);
        boolean keysPastCap = false;
        for (int p = 0; p < record.propertyCount(); p++)
        {
            final int field = EventRecord.STRING_FIELDS + 2 * p;
            final int key = keptKey(hour, name, record, field);
            if (key < 0)
            {
                keysPastCap = true;
                continue;
            }
            final int value = capped(CellKind.PROPERTY, hour, name, key, record, field + 1, CapCounts.VALUES,
                CapCounts.MAX_VALUES);
            cells.add0(value, 1);
            cells.addBitmap0(value, visitor);
        }
        if (keysPastCap)
        {
            if (cells.find(CellKind.PROPERTY_KEY, hour, 0, name, other) == Cells.NONE)
            {
                caps.keepOther(CapCounts.KEYS, hour, 0, name);
                cells.cell(CellKind.PROPERTY_KEY, hour, 0, name, other);
            }
            final int otherKey = cells.cell(CellKind.PROPERTY, hour, name, other, other);
            cells.add0(otherKey, 1);
            cells.addBitmap0(otherKey, visitor);
        }
    }

    /** The id of the key the name keeps this hour (it does already, or has room for one more); -1 past the cap. */
    private int keptKey(final int hour, final int name, final EventRecordDecoder record, final int field)
    {
        final int known = find(record, field);
        if (known >= 0 && cells.find(CellKind.PROPERTY_KEY, hour, 0, name, known) != Cells.NONE)
        {
            return known;
        }
        if (!caps.tryKeep(CapCounts.KEYS, hour, 0, name, CapCounts.MAX_KEYS))
        {
            return -1;
        }
        final int key = known >= 0 ? known : text(record, field);
        cells.cell(CellKind.PROPERTY_KEY, hour, 0, name, key);
        return key;
    }

    private void applyGoal(final EventRecordDecoder record, final int hour, final int visitor, final int session)
    {
        final int goal = text(record, EventRecord.GOAL);
        final int cell = cells.cell(CellKind.GOAL, hour, goal, 0, 0);
        cells.add0(cell, 1);
        if (record.hasFlag(EventRecord.FLAG_REVENUE))
        {
            cells.addMoney(cells.cell(CellKind.GOAL_REVENUE, hour, goal, currency(record, EventRecord.CURRENCY_OFFSET), 0),
                record.revenueUnscaled(), record.revenueScale());
        }
        if (!record.hasFlag(EventRecord.FLAG_CONVERSION))
        {
            return;
        }
        loadTouch(visitor, session);
        cells.add1(cell, 1);
        cells.add2(cell, record.goalWeight());
        cells.addBitmap0(cell, visitor);
        cells.record(cell, Math.max(0, record.eventTime() - touchFirstSeen));
        if (record.hasFlag(EventRecord.FLAG_VALUE) && record.hasValueCurrency())
        {
            cells.addMoney(cells.cell(CellKind.GOAL_VALUE, hour, goal, currency(record, EventRecord.VALUE_CURRENCY_OFFSET), 0),
                record.valueUnscaled(), record.valueScale());
        }
        for (int d = 0; d < DIMENSIONS; d++)
        {
            attribute(hour, goal, CellKind.FIRST_TOUCH + d, touch[1 + DIMENSIONS + d]);
            attribute(hour, goal, CellKind.LAST_TOUCH + d, touch[1 + d]);
        }
        attribute(hour, goal, CellKind.ENTRY_PAGE, touch[0]);
    }

    private void attribute(final int hour, final int goal, final int dimension, final int source)
    {
        cells.add0(capped(CellKind.ATTRIBUTION, hour, goal, dimension, source, CapCounts.SOURCES, CapCounts.MAX_VALUES), 1);
    }

    /** The cell of a record's text under {@code (key1, key2)}; the text enters the dictionary only when kept. */
    private int capped(final CellKind kind, final int hour, final int key1, final int key2, final EventRecordDecoder record,
        final int field, final int scope, final int max)
    {
        final int known = find(record, field);
        if (known >= 0)
        {
            final int cell = cells.find(kind, hour, key1, key2, known);
            if (cell != Cells.NONE)
            {
                return cell;
            }
        }
        if (caps.tryKeep(scope, hour, key1, key2, max))
        {
            return cells.cell(kind, hour, key1, key2, known >= 0 ? known : text(record, field));
        }
        return otherOf(kind, hour, key1, key2, scope);
    }

    /** The cell of {@code text} under {@code (key1, key2)}; once the scope keeps {@code max} texts, {@code (other)}'s. */
    private int capped(final CellKind kind, final int hour, final int key1, final int key2, final int text, final int scope,
        final int max)
    {
        final int cell = cells.find(kind, hour, key1, key2, text);
        if (cell != Cells.NONE)
        {
            return cell;
        }
        if (caps.tryKeep(scope, hour, key1, key2, max))
        {
            return cells.cell(kind, hour, key1, key2, text);
        }
        return otherOf(kind, hour, key1, key2, scope);
    }

    /** The scope's {@code (other)} cell, counted as one of its texts when made. */
    private int otherOf(final CellKind kind, final int hour, final int key1, final int key2, final int scope)
    {
        int cell = cells.find(kind, hour, key1, key2, other);
        if (cell == Cells.NONE)
        {
            caps.keepOther(scope, hour, key1, key2);
            cell = cells.cell(kind, hour, key1, key2, other);
        }
        return cell;
    }

    private int find(final EventRecordDecoder record, final int field)
    {
        return strings.find(record.buffer(), record.stringOffset(field), record.stringLength(field));
    }

    private int text(final EventRecordDecoder record, final int field)
    {
        return strings.id(record.buffer(), record.stringOffset(field), record.stringLength(field));
    }

    private int currency(final EventRecordDecoder record, final int offset)
    {
        return strings.id(record.buffer(), record.offset() + offset, 3);
    }

    public Dictionary strings()
    {
        return strings;
    }

    public Cells cells()
    {
        return cells;
    }

    public Ordinals visitors()
    {
        return visitors;
    }

    public Ordinals sessions()
    {
        return sessions;
    }

    /** Records applied. */
    public long records()
    {
        return records;
    }

    /** The first time of visitor ordinal {@code first() + n}, one this day gave out. */
    public long firstSeen(final int n)
    {
        return firstSeen[n];
    }

    /** Source dimension {@code d} of visitor ordinal {@code first() + n}: a text id. */
    public int visitorSource(final int n, final int d)
    {
        return visitorSources[n * DIMENSIONS + d];
    }

    /** The entry page of session ordinal {@code first() + n}: a text id. */
    public int entryPage(final int n)
    {
        return entryPages[n];
    }

    public int sessionSource(final int n, final int d)
    {
        return sessionSources[n * DIMENSIONS + d];
    }

    /** Restoring a snapshot: visitor ordinal {@code first() + n}'s touch, its texts ids of this day's dictionary. */
    public void restoreVisitorTouch(final int n, final long first, final int[] source)
    {
        if (n >= firstSeen.length)
        {
            firstSeen = java.util.Arrays.copyOf(firstSeen, Math.max(n + 1, firstSeen.length * 2));
            visitorSources = java.util.Arrays.copyOf(visitorSources, firstSeen.length * DIMENSIONS);
        }
        firstSeen[n] = first;
        System.arraycopy(source, 0, visitorSources, n * DIMENSIONS, DIMENSIONS);
    }

    /** Restoring a snapshot: session ordinal {@code first() + n}'s touch. */
    public void restoreSessionTouch(final int n, final int entryPage, final int[] source)
    {
        if (n >= entryPages.length)
        {
            entryPages = java.util.Arrays.copyOf(entryPages, Math.max(n + 1, entryPages.length * 2));
            sessionSources = java.util.Arrays.copyOf(sessionSources, entryPages.length * DIMENSIONS);
        }
        entryPages[n] = entryPage;
        System.arraycopy(source, 0, sessionSources, n * DIMENSIONS, DIMENSIONS);
    }

    /** Restoring a snapshot: the records it had counted. */
    public void restoreRecords(final long count)
    {
        records = count;
    }

    /**
     * Restoring a snapshot: after its texts, ordinals and cells are back, counts what each capped scope keeps and
     * marks the keys each name keeps, as applying the records had.
     */
    public void restoreCaps()
    {
        final int count = cells.count();
        for (int cell = 0; cell < count; cell++)
        {
            final int hour = cells.hour(cell);
            switch (cells.kind(cell))
            {
                case NAME -> caps.keepOther(CapCounts.NAMES, hour, 0, 0);
                case PROPERTY ->
                {
                    caps.keepOther(CapCounts.VALUES, hour, cells.key1(cell), cells.key2(cell));
                    if (cells.find(CellKind.PROPERTY_KEY, hour, 0, cells.key1(cell), cells.key2(cell)) == Cells.NONE)
                    {
                        caps.keepOther(CapCounts.KEYS, hour, 0, cells.key1(cell));
                        cells.cell(CellKind.PROPERTY_KEY, hour, 0, cells.key1(cell), cells.key2(cell));
                    }
                }
                case META -> caps.keepOther(CapCounts.META, hour, cells.key1(cell), 0);
                case ATTRIBUTION -> caps.keepOther(CapCounts.SOURCES, hour, cells.key1(cell), cells.key2(cell));
                case PAGE ->
                {
                    if (cells.key1(cell) == CellKind.PAGE_VIEWS)
                    {
                        caps.keepOther(CapCounts.PAGES, hour, CellKind.PAGE_VIEWS, 0);
                    }
                }
                case AUDIENCE -> caps.keepOther(CapCounts.AUDIENCE, hour, cells.key1(cell), 0);
                case TOTAL -> totals[hour] = cell;
                default ->
                {
                    // no cap
                }
            }
        }
    }
}
