package io.tally.store.rollup.day;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.codec.EventType;

/**
 * Counts a day's events by audience: the sender's browser and version, system and version, device class
 * ({@link CellKind#AUDIENCE} cells, capped per dimension and hour), and country ({@link CellKind#COUNTRY}), in the
 * day's own cells and dictionary.
 */
final class AudienceCells
{
    private static final int DEVICES = EventRecord.DEVICE_OTHER + 1;

    private final Dictionary strings;
    private final Cells cells;
    private final CapCounts caps;
    /** The dictionary id of {@code (other)}. */
    private final int other;
    /** The ids of the device names ({@link DayCube#UNKNOWN} for 0) and of "", entered into the dictionary at first use. */
    private final int[] audienceTexts = {-1, -1, -1, -1, -1, -1};

    AudienceCells(final Dictionary strings, final Cells cells, final CapCounts caps, final int other)
    {
        this.strings = strings;
        this.cells = cells;
        this.caps = caps;
        this.other = other;
    }

    /** Counts the record under its audience and its country. */
    void apply(final EventRecordDecoder record, final int hour, final int visitor)
    {
        applyAudience(record, hour, visitor, record.type() == EventType.PAGEVIEW);
        applyCountry(record, hour, visitor, record.type() == EventType.PAGEVIEW);
    }

    /** Counts a backfilled conversion: its event is counted already (its pageview and visitor), only the conversion is new. */
    void applyConversion(final EventRecordDecoder record, final int hour, final int visitor)
    {
        applyAudience(record, hour, visitor, false);
        applyCountry(record, hour, visitor, false);
    }

    /** The sender's browser and version, system and version, and device class (unknown in a version 1 record). */
    private void applyAudience(final EventRecordDecoder record, final int hour, final int visitor, final boolean pageview)
    {
        final boolean converts = record.hasFlag(EventRecord.FLAG_CONVERSION);
        countAudience(audienceCell(hour, CellKind.BROWSER, record, EventRecord.BROWSER, EventRecord.BROWSER_VERSION),
            visitor, pageview, converts);
        countAudience(audienceCell(hour, CellKind.OPERATING_SYSTEM, record, EventRecord.OS, EventRecord.OS_VERSION),
            visitor, pageview, converts);
        final int device = record.deviceClass() < DEVICES ? record.deviceClass() : EventRecord.DEVICE_UNKNOWN;
        countAudience(audienceCell(hour, CellKind.DEVICE, audienceText(device), audienceText(DEVICES)),
            visitor, pageview, converts);
    }

    private void countAudience(final int cell, final int visitor, final boolean pageview, final boolean converts)
    {
        if (pageview)
        {
            cells.add0(cell, 1);
        }
        if (converts)
        {
            cells.add1(cell, 1);
        }
        cells.addBitmap0(cell, visitor);
    }

    /** The cell of a record's name and version texts; an empty name is {@link DayCube#UNKNOWN}. */
    private int audienceCell(final int hour, final int dimension, final EventRecordDecoder record, final int nameField,
        final int versionField)
    {
        final boolean named = record.stringLength(nameField) > 0;
        final int name = named ? find(record, nameField) : audienceText(EventRecord.DEVICE_UNKNOWN);
        final int version = find(record, versionField);
        if (name >= 0 && version >= 0)
        {
            final int cell = cells.find(CellKind.AUDIENCE, hour, dimension, name, version);
            if (cell != Cells.NONE)
            {
                return cell;
            }
        }
        if (!caps.tryKeep(CapCounts.AUDIENCE, hour, dimension, 0, CapCounts.MAX_VALUES))
        {
            return audienceOther(hour, dimension);
        }
        return cells.cell(CellKind.AUDIENCE, hour, dimension, name >= 0 ? name : text(record, nameField),
            version >= 0 ? version : text(record, versionField));
    }

    /** The cell of a name and version already in the dictionary (a device's). */
    private int audienceCell(final int hour, final int dimension, final int name, final int version)
    {
        final int cell = cells.find(CellKind.AUDIENCE, hour, dimension, name, version);
        if (cell != Cells.NONE)
        {
            return cell;
        }
        if (!caps.tryKeep(CapCounts.AUDIENCE, hour, dimension, 0, CapCounts.MAX_VALUES))
        {
            return audienceOther(hour, dimension);
        }
        return cells.cell(CellKind.AUDIENCE, hour, dimension, name, version);
    }

    /** The dimension's {@code (other)}: name and version past the cap of distinct ones an hour. */
    private int audienceOther(final int hour, final int dimension)
    {
        int cell = cells.find(CellKind.AUDIENCE, hour, dimension, other, other);
        if (cell == Cells.NONE)
        {
            caps.keepOther(CapCounts.AUDIENCE, hour, dimension, 0);
            cell = cells.cell(CellKind.AUDIENCE, hour, dimension, other, other);
        }
        return cell;
    }

    /** The id of device {@code n}'s name ({@link DayCube#UNKNOWN} for 0, as for an unknown browser or system), or of "" (n = DEVICES). */
    private int audienceText(final int n)
    {
        int id = audienceTexts[n];
        if (id < 0)
        {
            id = strings.id(n == DEVICES ? "" : n == EventRecord.DEVICE_UNKNOWN ? DayCube.UNKNOWN : EventRecord.deviceName(n));
            audienceTexts[n] = id;
        }
        return id;
    }

    /** Counts the record under its visitor's country (0 when unknown): at most one cell per country and hour. */
    private void applyCountry(final EventRecordDecoder record, final int hour, final int visitor, final boolean pageview)
    {
        final int country = record.hasCountry() ? CellKind.country(record.countryByte(0), record.countryByte(1)) : 0;
        final int cell = cells.cell(CellKind.COUNTRY, hour, country, 0, 0);
        cells.addBitmap0(cell, visitor);
        if (pageview)
        {
            cells.add0(cell, 1);
        }
        if (record.hasFlag(EventRecord.FLAG_CONVERSION))
        {
            cells.add1(cell, 1);
            cells.addBitmap1(cell, visitor);
        }
    }

    private int find(final EventRecordDecoder record, final int field)
    {
        return strings.find(record.buffer(), record.stringOffset(field), record.stringLength(field));
    }

    private int text(final EventRecordDecoder record, final int field)
    {
        return strings.id(record.buffer(), record.stringOffset(field), record.stringLength(field));
    }
}
