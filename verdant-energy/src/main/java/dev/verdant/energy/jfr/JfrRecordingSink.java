package dev.verdant.energy.jfr;

import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.sink.EnergySink;
import dev.verdant.io.AtomicFiles;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import jdk.jfr.Recording;

/**
 * Records Verdant's JFR events ({@link EnergySampleEvent}, {@link TrackedTaskEvent}) from its construction to the
 * first report it receives and writes them, atomically, to a {@code .jfr} file that JDK Mission Control or {@code jfr
 * print} reads: {@code verdant track --jfr out.jfr}. An application that records JFR itself needs no sink: the events
 * are in any recording that enables them ({@code -XX:StartFlightRecording} does).
 */
public final class JfrRecordingSink implements EnergySink, AutoCloseable {

    private final Path file;
    private final Recording recording;
    private boolean written;

    /** Starts recording now; the file is written at the first report. */
    public JfrRecordingSink(Path file) {
        this.file = Objects.requireNonNull(file, "file");
        this.recording = new Recording();
        recording.setName("verdant");
        recording.enable(EnergySampleEvent.class);
        recording.enable(TrackedTaskEvent.class);
        recording.start();
    }

    /** The file the recording goes to. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void onReport(EnergyReport report) {
        if (written) {
            return;
        }
        written = true;
        recording.stop();
        AtomicFiles.write(file, out -> {
            try (InputStream in = recording.getStream(null, null)) {
                if (in != null) {
                    in.transferTo(out);
                }
            }
        });
        recording.close();
    }

    /** Ends the recording without writing it, if no report came. */
    @Override
    public synchronized void close() {
        written = true;
        recording.close();
    }
}
