package io.tally.explore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where the event store's files are, and what their names say:
 * {@code DATA_DIR/events/<version>/<site>/<yyyy-MM-dd>/<HH>.<first>-<last>.parquet}, one or more files per site and UTC hour
 * of the events' time, each holding the site's events of that hour read from journal indices {@code first} to
 * {@code last} (16 hex digits each); once the day is over, {@code day.<first>-<last>.parquet} holds the whole day.
 * A file whose hours and journal range lie inside another's is a part the other was merged from and is not read.
 * {@code position} (beside the site directories) is the last journal index sealed; a file past it was written by a
 * round that did not finish.
 */
public final class EventFiles
{
    /** The directory under DATA_DIR. */
    public static final String DIRECTORY = "events";
    static final String POSITION = "position";
    static final String SUFFIX = ".parquet";
    static final String WORK = ".work";
    private static final long HOUR_MILLIS = 3_600_000L;

    private final Path root;

    public EventFiles(final Path dataDir)
    {
        this.root = dataDir.resolve(DIRECTORY).resolve(EventSchema.VERSION);
    }

    /** The directory of this layout version. */
    public Path root()
    {
        return root;
    }

    Path position()
    {
        return root.resolve(POSITION);
    }

    /** Scratch space of a sealing round or a merge; emptied at every start. */
    Path work()
    {
        return root.resolve(WORK);
    }

    static final String DAY_PREFIX = "day.";

    /** One file of the store: its site, first hour (since the epoch), hours (1, or 24 for a day) and journal range. */
    public record Part(Path path, String site, long hour, int hours, long first, long last)
    {
        boolean within(final Part other)
        {
            return other != this && site.equals(other.site) && other.hour <= hour && hour + hours <= other.hour + other.hours &&
                other.first <= first && last <= other.last && (other.first != first || other.last != last || other.hours > hours);
        }

        boolean overlaps(final long firstHour, final long lastHour)
        {
            return hour <= lastHour && firstHour < hour + hours;
        }
    }

    /**
     * The name of the file of {@code site}'s events of {@code hours} hours (1, or 24 from a day's first) from
     * {@code hour}, read from journal indices {@code first} to {@code last}.
     */
    Path pathOf(final String site, final long hour, final int hours, final long first, final long last)
    {
        final LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(hour, 24));
        final String span = hours == 24 ? "day" : String.format(Locale.ROOT, "%02d", Math.floorMod(hour, 24));
        return siteDirectory(site).resolve(day.toString())
            .resolve(String.format(Locale.ROOT, "%s.%016x-%016x%s", span, first, last, SUFFIX));
    }

    Path siteDirectory(final String site)
    {
        return root.resolve(URLEncoder.encode(site, StandardCharsets.UTF_8));
    }

    static long hourOf(final long millis)
    {
        return Math.floorDiv(millis, HOUR_MILLIS);
    }

    /** Every file of the store, merged parts included, in no particular order. */
    public List<Part> all()
    {
        final List<Part> parts = new ArrayList<>();
        for (final Path site : list(root))
        {
            if (Files.isDirectory(site) && !site.getFileName().toString().startsWith("."))
            {
                for (final Path day : list(site))
                {
                    collect(site, day, parts);
                }
            }
        }
        return parts;
    }

    /**
     * The files a query over {@code site} from {@code fromMillis} (inclusive) to {@code toMillis} (exclusive) reads:
     * those of the hours that overlap the range, sealed up to {@code position}, without parts already merged.
     */
    public List<Part> live(final String site, final long fromMillis, final long toMillis, final long position)
    {
        final long firstHour = hourOf(fromMillis);
        final long lastHour = hourOf(toMillis - 1);
        final Path siteDirectory = siteDirectory(site);
        final List<Part> parts = new ArrayList<>();
        for (long day = Math.floorDiv(firstHour, 24); day <= Math.floorDiv(lastHour, 24); day++)
        {
            collect(siteDirectory, siteDirectory.resolve(LocalDate.ofEpochDay(day).toString()), parts);
        }
        parts.removeIf(part -> !part.overlaps(firstHour, lastHour) || part.last > position);
        return withoutMerged(parts);
    }

    /** Every file queries read, of every site and hour: sealed up to {@code position}, without parts already merged. */
    public List<Part> liveAll(final long position)
    {
        final List<Part> parts = all();
        parts.removeIf(part -> part.last > position);
        return withoutMerged(parts);
    }

    /** {@code parts} without those inside another's hours and range (merged into it). */
    static List<Part> withoutMerged(final List<Part> parts)
    {
        final java.util.Map<String, List<Part>> byDay = new java.util.HashMap<>();
        for (final Part part : parts)
        {
            byDay.computeIfAbsent(part.site + "/" + Math.floorDiv(part.hour, 24), key -> new ArrayList<>()).add(part);
        }
        final List<Part> live = new ArrayList<>(parts.size());
        for (final List<Part> day : byDay.values())
        {
            for (final Part part : day)
            {
                if (day.stream().noneMatch(part::within))
                {
                    live.add(part);
                }
            }
        }
        live.sort(Comparator.comparing(Part::site).thenComparingLong(Part::hour).thenComparingLong(Part::first));
        return live;
    }

    private static void collect(final Path siteDirectory, final Path dayDirectory, final List<Part> into)
    {
        final LocalDate day;
        try
        {
            day = LocalDate.parse(dayDirectory.getFileName().toString());
        }
        catch (final RuntimeException notADay)
        {
            return;
        }
        final String site = URLDecoder.decode(siteDirectory.getFileName().toString(), StandardCharsets.UTF_8);
        for (final Path file : list(dayDirectory))
        {
            final Part part = parse(file, site, day);
            if (part != null)
            {
                into.add(part);
            }
        }
    }

    /** The part a file's name describes; null for any other file. */
    static Part parse(final Path file, final String site, final LocalDate day)
    {
        final String whole = file.getFileName().toString();
        final boolean wholeDay = whole.startsWith(DAY_PREFIX);
        final String name = wholeDay ? "00" + whole.substring(DAY_PREFIX.length() - 1) : whole;
        if (!name.endsWith(SUFFIX) || name.length() != 2 + 1 + 16 + 1 + 16 + SUFFIX.length() || name.charAt(2) != '.' ||
            name.charAt(19) != '-')
        {
            return null;
        }
        try
        {
            final int hourOfDay = Integer.parseInt(name, 0, 2, 10);
            final long first = Long.parseUnsignedLong(name, 3, 19, 16);
            final long last = Long.parseUnsignedLong(name, 20, 36, 16);
            return hourOfDay < 24 ? new Part(file, site, day.toEpochDay() * 24 + hourOfDay, wholeDay ? 24 : 1, first, last) :
                null;
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }

    /** The UTC day of an hour since the epoch. */
    static LocalDate dayOf(final long hour)
    {
        return Instant.ofEpochMilli(hour * HOUR_MILLIS).atZone(ZoneOffset.UTC).toLocalDate();
    }

    static List<Path> list(final Path directory)
    {
        final List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory))
        {
            stream.forEach(entries::add);
        }
        catch (final NoSuchFileException ex)
        {
            return entries;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + directory + ": " + ex.getMessage(), ex);
        }
        return entries;
    }

    /** Makes {@code file} durable, then moves it to {@code target} (its directory made when needed) atomically. */
    static void publish(final Path file, final Path target) throws IOException
    {
        force(file, false);
        final Path directory = target.getParent();
        if (!Files.isDirectory(directory))
        {
            Files.createDirectories(directory);
            force(directory.getParent(), true);
            force(directory.getParent().getParent(), true);
        }
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** fsync of a file or (with {@code directory}) of a directory's entries. */
    static void force(final Path path, final boolean directory) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, directory ? StandardOpenOption.READ : StandardOpenOption.WRITE))
        {
            channel.force(true);
        }
    }

    /** Deletes a directory and everything in it; nothing when it is not there. */
    static void deleteTree(final Path directory) throws IOException
    {
        if (!Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Bytes of every file of the store. */
    public long diskBytes()
    {
        if (!Files.exists(root))
        {
            return 0;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            return paths.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
        }
        catch (final IOException | UncheckedIOException ex)
        {
            return 0;
        }
    }
}
