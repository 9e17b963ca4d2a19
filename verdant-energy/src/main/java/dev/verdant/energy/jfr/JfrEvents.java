package dev.verdant.energy.jfr;

import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.EnergySample;
import jdk.jfr.FlightRecorder;

/**
 * Where the tracker emits its JFR events, only once JFR is running in this JVM: the first use of any JFR event
 * initializes the flight recorder, about 160 ms of CPU in a fresh JVM (measured here), which a tracker that no one
 * records must not pay. JFR is running when the JVM started with {@code -XX:StartFlightRecording} or something
 * started a {@link jdk.jfr.Recording} (as {@link JfrRecordingSink} does) before the run; a recording started in the
 * middle of a run gets its samples from then on, not the run's own {@link TrackedTaskEvent}.
 */
public final class JfrEvents {

    private JfrEvents() {
    }

    /** A task event begun now if JFR is running, else null. */
    public static TrackedTaskEvent beginTask() {
        return FlightRecorder.isInitialized() ? TrackedTaskEvent.begun() : null;
    }

    /** Ends and commits {@code event} (null: JFR was not running when the task began). */
    public static void finishTask(TrackedTaskEvent event, String kind, String run, EnergyReport report) {
        if (event != null) {
            event.finish(kind, run, report);
        }
    }

    /** Commits {@code sample} as an {@link EnergySampleEvent} if JFR is running and records it. */
    public static void sample(EnergySample sample) {
        if (FlightRecorder.isInitialized()) {
            EnergySampleEvent.emit(sample);
        }
    }
}
