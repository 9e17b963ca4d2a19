package dev.verdant.quality;

import dev.verdant.io.InputFiles;
import dev.verdant.io.MessageText;
import dev.verdant.io.NearestName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;

/**
 * Every quality metric a run may name: the built-ins ({@link BuiltinMetrics}), the {@link QualityMetric}s that
 * {@link ServiceLoader} finds on the class path, and those of the {@code --plugin} jars, each loaded through a class
 * loader of its own whose parent is Verdant's. {@link #close()} closes the plugins' class loaders: keep the registry
 * open while a metric from it runs.
 */
public final class MetricRegistry implements AutoCloseable {

    /** Where a plugin jar lists its metrics. */
    public static final String SERVICE_ENTRY = "META-INF/services/" + QualityMetric.class.getName();

    private final Map<String, QualityMetric> extra;
    private final List<URLClassLoader> loaders;
    private final List<Path> jars;

    private MetricRegistry(Map<String, QualityMetric> extra, List<URLClassLoader> loaders, List<Path> jars) {
        this.extra = extra;
        this.loaders = loaders;
        this.jars = List.copyOf(jars);
    }

    /** The built-ins and the metrics on Verdant's own class path. */
    public static MetricRegistry standard() {
        return withPlugins(List.of());
    }

    /**
     * The built-ins, the metrics on the class path, and those of {@code jars}.
     *
     * @throws IllegalArgumentException with one line naming the jar: not a readable jar, no {@link #SERVICE_ENTRY},
     *                                  a listed class that cannot be loaded, or a metric whose name is taken
     */
    public static MetricRegistry withPlugins(List<Path> jars) {
        Map<String, QualityMetric> extra = new LinkedHashMap<>();
        List<URLClassLoader> loaders = new ArrayList<>();
        try {
            addAll(extra, ServiceLoader.load(QualityMetric.class, MetricRegistry.class.getClassLoader()),
                    "the class path");
            for (Path jar : jars) {
                requireServiceEntry(jar);
                URLClassLoader loader = new URLClassLoader(new URL[] {url(jar)}, MetricRegistry.class.getClassLoader());
                loaders.add(loader);
                int before = extra.size();
                addAll(extra, ServiceLoader.load(QualityMetric.class, loader), "plugin " + jar);
                if (extra.size() == before) {
                    throw new IllegalArgumentException("plugin " + jar + " lists no quality metric in "
                            + SERVICE_ENTRY);
                }
            }
        } catch (RuntimeException e) {
            closeAll(loaders);
            throw e;
        }
        return new MetricRegistry(extra, loaders, jars);
    }

    /** The metric {@code name} names, built-in or added. */
    public Optional<QualityMetric> find(String name) {
        Optional<QualityMetric> builtin = BuiltinMetrics.named(name);
        return builtin.isPresent() ? builtin : Optional.ofNullable(extra.get(name));
    }

    /**
     * The metric {@code name} names.
     *
     * @throws IllegalArgumentException with one line naming it and the nearest valid name
     */
    public QualityMetric require(String name, String context) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(context + ": unknown metric "
                + MessageText.quote(name) + NearestName.suggestion(name, names())));
    }

    /** Every name a tolerance may use: the built-in families as examples, then the added metrics. */
    public List<String> names() {
        List<String> names = new ArrayList<>(BuiltinMetrics.NAMES);
        names.addAll(extra.keySet());
        return names;
    }

    /** The plugin jars, files a run reads (so that no output of the run may be one). */
    public List<Path> jars() {
        return jars;
    }

    /** The metrics found on the class path and in plugins, by name. */
    public Map<String, QualityMetric> added() {
        return Map.copyOf(extra);
    }

    @Override
    public void close() {
        closeAll(loaders);
    }

    private static void addAll(Map<String, QualityMetric> into, ServiceLoader<QualityMetric> found, String where) {
        try {
            for (QualityMetric metric : found) {
                String name = metric.name();
                if (name == null || !name.matches("[a-z0-9][a-z0-9._-]*")) {
                    throw new IllegalArgumentException(where + ": metric " + metric.getClass().getName()
                            + " is named " + MessageText.quote(name) + "; a name is lower case letters, digits, "
                            + "dots and dashes");
                }
                if (BuiltinMetrics.reserved(name) || into.containsKey(name)) {
                    throw new IllegalArgumentException(where + ": metric " + MessageText.quote(name)
                            + " is already defined" + (BuiltinMetrics.reserved(name) ? " by Verdant" : ""));
                }
                into.put(name, metric);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalArgumentException(where + ": cannot load a quality metric it lists: "
                    + MessageText.oneLine(rootMessage(e)), e);
        }
    }

    private static void requireServiceEntry(Path jar) {
        InputFiles.problem(jar, "a plugin jar").ifPresent(problem -> {
            throw new IllegalArgumentException("--plugin: " + problem);
        });
        try (JarFile file = new JarFile(jar.toFile())) {
            if (file.getEntry(SERVICE_ENTRY) == null) {
                throw new IllegalArgumentException("--plugin " + jar + " has no " + SERVICE_ENTRY
                        + " entry, so it declares no quality metric");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--plugin " + jar + " is not a readable jar: "
                    + MessageText.oneLine(e.getMessage()), e);
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toAbsolutePath().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("--plugin " + jar + " cannot be named by a URL", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static void closeAll(List<URLClassLoader> loaders) {
        for (URLClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close a plugin's class loader: " + e.getMessage(), e);
            }
        }
    }
}
