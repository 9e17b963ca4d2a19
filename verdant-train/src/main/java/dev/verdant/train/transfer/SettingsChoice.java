package dev.verdant.train.transfer;

import java.util.List;

/**
 * The settings a transfer chose on a validation split of its training data because the user left them unset, how
 * it chose them, and what choosing cost. The held-out test data is never used to choose.
 *
 * @param chosen             the settings chosen (the others were given): {@code cut}, {@code head},
 *                           {@code learning_rate}, {@code epochs}
 * @param cut                the tensor the backbone was cut at
 * @param featureSize        values per sample at the cut
 * @param head               the head, described
 * @param learningRate       the head's peak learning rate
 * @param batchSize          samples per step (a fixed default of {@value TransferConfig#CHOSEN_SETTINGS_BATCH_SIZE}
 *                           when not given, not searched)
 * @param maxEpochs          the head epochs trained on the whole training part
 * @param keptEpoch          the epoch whose head was kept: the best on the validation split when epochs were
 *                           chosen, else the last
 * @param validationAccuracy the kept head's accuracy on the validation split (ONNX Runtime)
 * @param validationSamples  training samples held out to choose on (not trained on)
 * @param searchSamples      training samples each trial trained on (a stratified subset of the training part)
 * @param searchEpochs       epochs each trial trained for
 * @param trials             every cut, head and learning rate tried, in order, with its validation accuracy
 * @param skippedCuts        candidate cuts not tried, each with its reason
 * @param searchEnergy       the energy of the trials alone (features at every candidate cut, the trials' heads,
 *                           their evaluations); part of the transfer's energy, which also holds the final head
 */
public record SettingsChoice(List<String> chosen, String cut, int featureSize, String head, float learningRate,
        int batchSize, int maxEpochs, int keptEpoch, double validationAccuracy, int validationSamples,
        int searchSamples, int searchEpochs, List<Trial> trials, List<String> skippedCuts, EnergyFigure searchEnergy) {

    public SettingsChoice {
        chosen = List.copyOf(chosen);
        trials = List.copyOf(trials);
        skippedCuts = List.copyOf(skippedCuts);
    }

    /**
     * One cut, head and learning rate tried, and its accuracy on the validation split.
     *
     * @param cut                the tensor cut at
     * @param featureSize        values per sample at the cut
     * @param head               the head, described
     * @param learningRate       the head's peak learning rate
     * @param validationAccuracy accuracy on the validation split in ONNX Runtime after the search's epochs on the
     *                           search subset's cached features
     */
    public record Trial(String cut, int featureSize, String head, float learningRate, double validationAccuracy) {
    }
}
