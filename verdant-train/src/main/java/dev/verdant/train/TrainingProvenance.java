package dev.verdant.train;

import dev.verdant.onnx.Provenance;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What produced a trained model, written into its ONNX {@code metadata_props} under {@code verdant.train.*}, so the
 * file says how it was made: data, epochs, seed, optimizer, learning rate, energy spent, Verdant version.
 *
 * @param startedFrom    the architecture ({@code zoo:lenet5}) or model file the weights started from
 * @param data           the training data's name ({@code fashion-mnist/train})
 * @param trainSamples   how many training samples an epoch saw
 * @param epochs         epochs run
 * @param batchSize      samples per step
 * @param seed           the seed of the shuffles (and of the zoo weights)
 * @param optimizer      the optimizer with its settings
 * @param learningRate   the learning-rate schedule
 * @param loss           the loss
 * @param frozen         the freeze patterns, empty when everything trained
 * @param testAccuracy   accuracy on the held-out data in ONNX Runtime of the model's weights (the kept epoch's)
 * @param seconds        wall-clock training time (evaluation included)
 * @param energyJoules   energy spent, when an energy probe was attached
 * @param energyMethod   {@code measured} or {@code estimated}, then the probe's description
 * @param verdantVersion the Verdant version that trained it
 * @param validationSamples training samples held out to choose the kept epoch (not in {@code trainSamples}); 0 when
 *                       none were, and then this and {@code keptEpoch} are not written
 * @param keptEpoch      the epoch whose weights the model holds (the last of {@code epochs} without validation)
 */
public record TrainingProvenance(String startedFrom, String data, int trainSamples, int epochs, int batchSize, long seed,
        String optimizer, String learningRate, String loss, String frozen, double testAccuracy, double seconds,
        Optional<Double> energyJoules, Optional<String> energyMethod, String verdantVersion, int validationSamples,
        int keptEpoch) {

    /** The prefix of every key this record writes: {@code verdant.train.}, in the one scheme of {@link Provenance}. */
    public static final String PREFIX = Provenance.key(Provenance.TRAIN, "");

    /** The entries for {@code metadata_props}. */
    public Map<String, String> toMetadata() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(PREFIX + "started_from", startedFrom);
        entries.put(PREFIX + "data", data);
        entries.put(PREFIX + "train_samples", Integer.toString(trainSamples));
        entries.put(PREFIX + "epochs", Integer.toString(epochs));
        entries.put(PREFIX + "batch_size", Integer.toString(batchSize));
        entries.put(PREFIX + "seed", Long.toString(seed));
        entries.put(PREFIX + "optimizer", optimizer);
        entries.put(PREFIX + "learning_rate", learningRate);
        entries.put(PREFIX + "loss", loss);
        entries.put(PREFIX + "frozen", frozen);
        entries.put(PREFIX + "test_accuracy", String.format(Locale.ROOT, "%.4f", testAccuracy));
        entries.put(PREFIX + "seconds", String.format(Locale.ROOT, "%.1f", seconds));
        energyJoules.ifPresent(j -> entries.put(PREFIX + "energy_joules", String.format(Locale.ROOT, "%.1f", j)));
        energyMethod.ifPresent(m -> entries.put(PREFIX + "energy_method", m));
        entries.put(PREFIX + "verdant_version", verdantVersion);
        if (validationSamples > 0) {
            entries.put(PREFIX + "validation_samples", Integer.toString(validationSamples));
            entries.put(PREFIX + "kept_epoch", Integer.toString(keptEpoch));
        }
        return entries;
    }
}
