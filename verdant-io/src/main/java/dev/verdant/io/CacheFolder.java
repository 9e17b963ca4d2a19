package dev.verdant.io;

import java.nio.file.Path;

/**
 * Where Verdant keeps what it copies out of its jars or fetches with its scripts, one sub-folder a kind
 * ({@code models}, {@code data}): {@code $VERDANT_CACHE/<kind>}, else {@code $XDG_CACHE_HOME/verdant/<kind>}, else
 * {@code ~/.cache/verdant/<kind>}, as {@code data/fetch-mnist-digits.sh} computes it too.
 */
public final class CacheFolder {

    private CacheFolder() {
    }

    /** The cache folder of one kind of content (it may not exist yet). */
    public static Path of(String kind) {
        String verdantCache = System.getenv("VERDANT_CACHE");
        if (verdantCache != null && !verdantCache.isBlank()) {
            return Path.of(verdantCache, kind);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("verdant").resolve(kind);
    }
}
