package dev.verdant.optimize;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar over the candidates with the one under way, and a line per finished candidate. It writes
 * to the stream it is given (stderr in the CLI, so stdout stays clean for results and {@code --json}).
 */
public final class ProgressBarSearchListener implements SearchListener {

    private final PrintStream out;
    private ProgressBar bar;

    public ProgressBarSearchListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void searchStarted(int resumed, int planned) {
        if (resumed > 0) {
            out.printf(Locale.ROOT, "resuming: %d candidate%s already measured%n", resumed, resumed == 1 ? "" : "s");
        }
        bar = new ProgressBarBuilder().setTaskName("optimize").setInitialMax(planned).setUnit(" candidates", 1)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate()
                .setConsumer(new ConsoleProgressBarConsumer(out)).build();
        bar.stepTo(resumed);
    }

    @Override
    public void candidateStarted(CandidatePlan plan, int done, int planned) {
        if (bar != null) {
            bar.maxHint(planned);
            bar.setExtraMessage(plan.id());
        }
    }

    @Override
    public void candidateFinished(CandidateResult result, boolean meetsTolerance, int done, int planned) {
        if (bar == null) {
            return;
        }
        bar.maxHint(planned);
        bar.stepTo(done);
        String outcome = !result.succeeded() ? "not applicable: " + result.error()
                : result.plan().isOriginal() ? "measured"
                : meetsTolerance ? "within tolerance" : "outside tolerance";
        bar.setExtraMessage(result.plan().id() + ": " + outcome);
    }

    @Override
    public void searchFinished(int done, int skipped) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        if (skipped > 0) {
            out.printf(Locale.ROOT, "budget spent: %d candidate%s left untried%n", skipped, skipped == 1 ? "" : "s");
        }
    }
}
