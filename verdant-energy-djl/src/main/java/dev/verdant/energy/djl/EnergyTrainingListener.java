package dev.verdant.energy.djl;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.TrackedTask;
import dev.verdant.energy.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A DJL training listener with one job: measure the energy of each epoch and of the whole training. Each epoch's
 * report goes to the consumer given (a log, a results file) as the epoch ends; {@link #trainingReport()} holds the
 * total once training ends.
 *
 * <pre>{@code
 * var energy = new EnergyTrainingListener(Tracker.builder().build(), "train", r -> log.info(LogSink.line(r)));
 * config.addTrainingListeners(energy);
 * }</pre>
 *
 * <p>Lives in verdant-energy-djl, not in verdant-energy, so that the tracker itself references no DJL: a service
 * that only wants the tracker does not download DJL.
 */
public final class EnergyTrainingListener extends TrainingListenerAdapter {

    private final Tracker tracker;
    private final String name;
    private final Consumer<EnergyReport> onEpoch;
    private final List<EnergyReport> epochs = new ArrayList<>();
    private TrackedRun run;
    private TrackedTask epoch;
    private EnergyReport trainingReport;

    /**
     * @param tracker the tracker to measure with
     * @param name    the training's name in reports; epochs are named {@code name/epoch-N}
     * @param onEpoch receives each epoch's report as it ends
     */
    public EnergyTrainingListener(Tracker tracker, String name, Consumer<EnergyReport> onEpoch) {
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.name = Objects.requireNonNull(name, "name");
        this.onEpoch = Objects.requireNonNull(onEpoch, "onEpoch");
    }

    @Override
    public synchronized void onTrainingBegin(Trainer trainer) {
        if (run == null) {
            run = tracker.startRun(name);
            epoch = run.task(name + "/epoch-1");
        }
    }

    @Override
    public synchronized void onEpoch(Trainer trainer) {
        if (run == null) {
            onTrainingBegin(trainer);
        }
        EnergyReport report = epoch.stop();
        epochs.add(report);
        epoch = run.task(name + "/epoch-" + (epochs.size() + 1));
        onEpoch.accept(report);
    }

    @Override
    public synchronized void onTrainingEnd(Trainer trainer) {
        if (run != null && trainingReport == null) {
            trainingReport = run.stop();
        }
    }

    /** The reports of the epochs finished so far. */
    public synchronized List<EnergyReport> epochReports() {
        return List.copyOf(epochs);
    }

    /** The whole training's report, or null while training runs. */
    public synchronized EnergyReport trainingReport() {
        return trainingReport;
    }
}
