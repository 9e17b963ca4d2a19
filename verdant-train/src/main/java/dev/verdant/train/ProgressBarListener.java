package dev.verdant.train;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar per epoch with the running loss, throughput and energy. It writes to the stream it is
 * given (stderr in the CLI, so stdout stays clean for results and {@code --json}); pair it with
 * {@link TrainingListener#epochLog} for a line per finished epoch.
 */
public final class ProgressBarListener implements TrainingListener {

    private final PrintStream out;
    private ProgressBar bar;
    private double lossSum;
    private int steps;

    public ProgressBarListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void epochStarted(int epoch, int epochs, int stepCount, int samples) {
        closeBar();
        lossSum = 0;
        steps = 0;
        bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                .setInitialMax(samples).setUnit(" img", 1).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250).continuousUpdate()
                .setConsumer(new ConsoleProgressBarConsumer(out)).build();
    }

    @Override
    public void stepFinished(int samples, double loss, double samplesPerSecond, double energyJoules) {
        lossSum += loss;
        steps++;
        if (bar != null) {
            bar.stepBy(samples);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f, %.0f/s%s", lossSum / steps, samplesPerSecond,
                    Double.isNaN(energyJoules) ? "" : String.format(Locale.ROOT, ", %.0f J", energyJoules)));
        }
    }

    @Override
    public void epochFinished(EpochResult result) {
        closeBar();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
