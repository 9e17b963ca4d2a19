package dev.verdant.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium driven from the command line: loads a local page with no network, no first-run work and
 * a throw-away profile, and returns the DOM after load together with every message the page wrote to the console
 * (Chromium logs them to stderr as {@code INFO:CONSOLE} lines with {@code --enable-logging=stderr --v=0}).
 *
 * @param executable the browser, {@code /usr/bin/chromium} on Debian
 * @param profiles   a folder for throw-away profiles
 */
public record HeadlessChromium(Path executable, Path profiles) {

    public static final Path DEBIAN_CHROMIUM = Path.of("/usr/bin/chromium");

    /**
     * What loading a page produced.
     *
     * @param dom             the serialized DOM after load
     * @param consoleMessages the console lines (errors, warnings, CSP violations, logs)
     */
    public record PageLoad(String dom, List<String> consoleMessages) {
    }

    public PageLoad load(Path page) throws IOException, InterruptedException {
        Run run = run(page, "--dump-dom");
        List<String> console = run.stderr().lines().filter(l -> l.contains(":CONSOLE")).toList();
        return new PageLoad(run.stdout(), console);
    }

    /** Writes a PNG of the page at the given window size. */
    public void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars");
        if (!Files.isRegularFile(png)) {
            throw new IOException("chromium wrote no screenshot to " + png);
        }
    }

    private record Run(String stdout, String stderr) {
    }

    private Run run(Path page, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(profiles, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + profile));
        command.addAll(List.of(extra));
        command.add(page.toUri().toString());
        Path out = profiles.resolve(profile.getFileName() + ".out");
        Path err = profiles.resolve(profile.getFileName() + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                throw new IOException("chromium did not finish within 90 s: " + String.join(" ", command));
            }
        } finally {
            process.destroyForcibly();
        }
        return new Run(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
