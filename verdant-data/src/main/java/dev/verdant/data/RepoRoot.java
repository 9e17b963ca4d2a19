package dev.verdant.data;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/**
 * Finds the Verdant checkout, whose {@code data/} folder holds the committed real samples: the system property
 * {@value #PROPERTY} (Surefire sets it), else the first folder holding {@code mvnw} and {@code data/} above the
 * working directory, else above the location of Verdant's own classes (so the launcher works from any folder).
 */
public final class RepoRoot {

    /** The system property that names the checkout. */
    public static final String PROPERTY = "verdant.repo.root";

    private RepoRoot() {
    }

    /** The checkout's root folder, if it can be found. */
    public static Optional<Path> find() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank() && isRoot(Path.of(property))) {
            return Optional.of(Path.of(property).toAbsolutePath().normalize());
        }
        Optional<Path> fromWorkingDirectory = searchUp(Path.of("").toAbsolutePath());
        if (fromWorkingDirectory.isPresent()) {
            return fromWorkingDirectory;
        }
        return codeLocation().flatMap(RepoRoot::searchUp);
    }

    private static Optional<Path> searchUp(Path start) {
        for (Path folder = start; folder != null; folder = folder.getParent()) {
            if (isRoot(folder)) {
                return Optional.of(folder.normalize());
            }
        }
        return Optional.empty();
    }

    private static boolean isRoot(Path folder) {
        return Files.isRegularFile(folder.resolve("mvnw")) && Files.isDirectory(folder.resolve("data"));
    }

    private static Optional<Path> codeLocation() {
        try {
            CodeSource source = RepoRoot.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
