package dev.verdant.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Reads the Verdant version that the build wrote into {@code version.properties}. */
public final class VersionProvider implements IVersionProvider {

    /** The version of this build, for example {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "verdant " + version(),
            "JVM: ${java.version} (${java.vendor} ${java.vm.name})",
            "OS: ${os.name} ${os.version} ${os.arch}"
        };
    }
}
