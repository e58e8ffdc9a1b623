package io.tally.engine.explore;

import io.tally.codec.json.Json;
import io.tally.store.state.StateFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Named definitions of each site (funnels, experiments), kept in a sealed state file under the data directory
 * ({@code {"sites": {"shop.example": [definition, ...]}}}): a change is written (temporary file, fsync, rename) before
 * it is answered, so an acknowledged definition survives a crash. Reads see an immutable snapshot. At most
 * {@code maxPerSite} a site. A damaged file is set aside and the book starts empty (the operator finds the old one
 * beside it).
 */
public final class DefinitionBook<T>
{
    /** Thrown when a site has as many definitions as it may. */
    public static final class TooMany extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        TooMany(final String message)
        {
            super(message);
        }
    }

    private final StateFiles files;
    private final String file;
    private final int maxPerSite;
    private final Function<Object, T> reader;
    private final Function<T, Map<String, Object>> writer;
    private final Function<T, String> names;
    private volatile Map<String, Map<String, T>> bySite;

    public DefinitionBook(final StateFiles files, final String file, final int maxPerSite, final Function<Object, T> reader,
        final Function<T, Map<String, Object>> writer, final Function<T, String> names)
    {
        this.files = files;
        this.file = file;
        this.maxPerSite = maxPerSite;
        this.reader = reader;
        this.writer = writer;
        this.names = names;
        final Map<String, Map<String, T>> saved = files.load(file, false, this::decode);
        this.bySite = saved == null ? Map.of() : saved;
    }

    public static DefinitionBook<Funnel> funnels(final StateFiles files)
    {
        return new DefinitionBook<>(files, "funnels.json", 100, Funnel::read, Funnel::json, Funnel::name);
    }

    public static DefinitionBook<Experiment> experiments(final StateFiles files)
    {
        return new DefinitionBook<>(files, "experiments.json", 100, Experiment::read, Experiment::json, Experiment::name);
    }

    public int maxPerSite()
    {
        return maxPerSite;
    }

    /** The site's definition named {@code name}; null when there is none. */
    public T get(final String site, final String name)
    {
        return bySite.getOrDefault(site, Map.of()).get(name);
    }

    /** The site's definitions, by name. */
    public List<T> list(final String site)
    {
        return List.copyOf(bySite.getOrDefault(site, Map.of()).values());
    }

    /**
     * Keeps {@code definition} under its name, replacing one of that name.
     *
     * @return whether it replaced one.
     * @throws TooMany when it is new and the site has {@code maxPerSite} definitions already.
     */
    public synchronized boolean put(final String site, final T definition)
    {
        final Map<String, T> mine = new TreeMap<>(bySite.getOrDefault(site, Map.of()));
        final boolean replaced = mine.containsKey(names.apply(definition));
        if (!replaced && mine.size() >= maxPerSite)
        {
            throw new TooMany(site + " has " + maxPerSite + " of these, the most it may have: delete one first");
        }
        mine.put(names.apply(definition), definition);
        swap(site, mine);
        return replaced;
    }

    /** @return false when the site has no definition of that name. */
    public synchronized boolean remove(final String site, final String name)
    {
        final Map<String, T> mine = new TreeMap<>(bySite.getOrDefault(site, Map.of()));
        if (mine.remove(name) == null)
        {
            return false;
        }
        swap(site, mine);
        return true;
    }

    private void swap(final String site, final Map<String, T> mine)
    {
        final Map<String, Map<String, T>> next = new TreeMap<>(bySite);
        next.put(site, java.util.Collections.unmodifiableMap(mine));
        final Map<String, Object> json = new LinkedHashMap<>();
        next.forEach((domain, definitions) ->
        {
            final List<Object> list = new ArrayList<>();
            definitions.values().forEach(definition -> list.add(writer.apply(definition)));
            json.put(domain, list);
        });
        files.write(file, Json.write(Map.of("sites", json)).getBytes(StandardCharsets.UTF_8));
        bySite = java.util.Collections.unmodifiableMap(next);
    }

    private Map<String, Map<String, T>> decode(final InputStream in) throws IOException
    {
        final Map<String, Map<String, T>> sites = new TreeMap<>();
        try
        {
            final Map<?, ?> json = (Map<?, ?>)Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).get("sites");
            for (final Map.Entry<?, ?> site : json.entrySet())
            {
                final Map<String, T> mine = new TreeMap<>();
                for (final Object entry : (List<?>)site.getValue())
                {
                    final T definition = reader.apply(entry);
                    mine.put(names.apply(definition), definition);
                }
                sites.put((String)site.getKey(), java.util.Collections.unmodifiableMap(mine));
            }
        }
        catch (final RuntimeException ex)
        {
            throw new IOException(file + " holds no valid definitions: " + ex.getMessage(), ex);
        }
        return java.util.Collections.unmodifiableMap(sites);
    }
}
