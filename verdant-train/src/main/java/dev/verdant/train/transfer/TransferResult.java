package dev.verdant.train.transfer;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.train.EpochResult;
import java.util.List;
import java.util.Optional;

/**
 * What a transfer run produced and spent.
 *
 * @param model             the backbone and trained head as one ONNX model, with the run in its metadata
 * @param cutTensor         the tensor the backbone was cut at
 * @param featureShape      the shape of one sample's features at the cut
 * @param head              the head, described
 * @param unfrozenParameters the backbone weights fine-tuned with the head (empty when only the head trained)
 * @param trainSamples      training samples
 * @param testSamples       held-out samples
 * @param accuracy          held-out accuracy of {@link #model()} in ONNX Runtime
 * @param headAccuracy      held-out accuracy in ONNX Runtime with the head trained and the backbone still frozen
 *                          (before fine-tuning; equal to {@code accuracy} when nothing was unfrozen)
 * @param headEpochs        the head's epochs (on cached features, not evaluated between epochs)
 * @param finetuneEpochs    the fine-tuning epochs (empty when nothing was unfrozen)
 * @param energy            the energy of the whole transfer: choosing the settings (when it did), features, head
 *                          training, fine-tuning, evaluations
 * @param backboneEnergyJoules the energy of pretraining the backbone, when its provenance records it
 * @param scratch           the same architecture trained from scratch, when asked
 * @param secondaryScratch  a smaller model (the zoo's tiny transformer) trained from scratch on the same texts, when
 *                          asked: a labelled secondary reference, not the same architecture
 * @param validationSamples training samples held out from both phases to choose the settings or the fine-tuning
 *                          epoch kept (not in {@code trainSamples}); 0 when none were
 * @param finetuneKeptEpoch the fine-tuning epoch whose weights {@link #model()} holds (the last without a validation
 *                          split); 0 when nothing was fine-tuned
 * @param settings          the settings chosen on the validation split, when the run chose any
 */
public record TransferResult(ModelProto model, String cutTensor, long[] featureShape, String head,
        List<String> unfrozenParameters, int trainSamples, int testSamples, double accuracy, double headAccuracy,
        List<HeadEpoch> headEpochs, List<EpochResult> finetuneEpochs, EnergyFigure energy,
        Optional<Double> backboneEnergyJoules, Optional<ScratchComparison> scratch,
        Optional<ScratchComparison> secondaryScratch, int validationSamples, int finetuneKeptEpoch,
        Optional<SettingsChoice> settings) {

    public TransferResult {
        featureShape = featureShape.clone();
        unfrozenParameters = List.copyOf(unfrozenParameters);
        headEpochs = List.copyOf(headEpochs);
        finetuneEpochs = List.copyOf(finetuneEpochs);
    }

    /**
     * The scratch baseline and the measured saving.
     *
     * @param reference       what was trained from scratch (the same architecture, weights re-drawn)
     * @param reached         whether scratch training reached the transfer model's accuracy within its budget
     * @param stoppedBy       why it stopped: {@code reached the target}, {@code epoch cap} or {@code energy budget}
     * @param epochs          scratch epochs begun (the last may be partial when the energy budget ran out)
     * @param steps           scratch optimizer steps taken
     * @param accuracy        its held-out accuracy after the last of them
     * @param accuracyByEpoch its held-out accuracy after each epoch
     * @param energy          its energy, measured in the same run by the same tracker
     * @param energyRatio     transfer energy / scratch energy
     * @param ratioBound      {@code =} when scratch reached the accuracy (a measured ratio), {@code <} when it did
     *                        not (scratch would have spent more: the true ratio is below this one)
     * @param maxEpochs       the budget's cap of epochs
     * @param maxJoules       the budget's cap of IT energy, null when none
     */
    public record ScratchComparison(String reference, boolean reached, String stoppedBy, int epochs, long steps,
            double accuracy, List<Double> accuracyByEpoch, EnergyFigure energy, double energyRatio, String ratioBound,
            int maxEpochs, Double maxJoules) {
        public ScratchComparison {
            accuracyByEpoch = List.copyOf(accuracyByEpoch);
        }
    }
}
