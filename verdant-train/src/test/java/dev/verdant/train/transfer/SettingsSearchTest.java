package dev.verdant.train.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.data.ImageDataset;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.Tracker;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.runtime.OrtClassifier;
import dev.verdant.train.transfer.TransferConfig.Setting;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Choosing the settings left unset on a validation split of the training data, on the committed samples
 * ({@link TransferSamples}): what is chosen, on what, that the test data plays no part, and that given settings win.
 */
class SettingsSearchTest {

    private static TransferSamples samples;

    @BeforeAll
    static void setUp() {
        samples = TransferSamples.load();
    }

    @Test
    void unsetSettingsAreChosenOnAValidationSplitOfTheTrainingDataAndReported() {
        TransferConfig config = TransferConfig.builder().optChooseUnset(true).optEpochs(4).optThreads(1).build();
        // the epochs were given, so the run keeps its last; everything else is chosen
        assertThat(config.toChoose()).containsExactly(Setting.CUT, Setting.HEAD, Setting.LEARNING_RATE);
        assertThat(config.batchSize()).isEqualTo(TransferConfig.CHOSEN_SETTINGS_BATCH_SIZE);
        TransferConfig choosingEpochs = TransferConfig.builder().optChooseUnset(true).optThreads(1).build();
        assertThat(choosingEpochs.toChoose()).containsExactly(Setting.values());

        TransferResult result = fit(choosingEpochs, samples.test());
        SettingsChoice choice = result.settings().orElseThrow();
        assertThat(choice.chosen()).containsExactly("cut", "head", "learning_rate", "epochs");
        // a tenth of each class of the 800 training images is held out; it trains neither the trials nor the head
        assertThat(choice.validationSamples()).isBetween(75, 85);
        assertThat(result.trainSamples() + choice.validationSamples()).isEqualTo(samples.train().size());
        assertThat(choice.searchSamples()).isEqualTo(result.trainSamples());
        assertThat(result.testSamples()).isEqualTo(samples.test().size());

        // every candidate cut but conv1's 4,704 activations with a linear head at both rates, then an MLP head at
        // the best cut
        List<String> cuts = Backbone.candidateCuts(samples.digitsNet());
        assertThat(choice.skippedCuts()).containsExactly("Relu (4704 features > " + SettingsSearch.MAX_FEATURES + ")");
        List<SettingsChoice.Trial> linear = choice.trials().stream().filter(t -> t.head().equals("linear")).toList();
        assertThat(linear).hasSize((cuts.size() - 1) * SettingsSearch.LEARNING_RATES.size());
        assertThat(linear).extracting(SettingsChoice.Trial::cut).doesNotContain("Relu");
        assertThat(linear).extracting(SettingsChoice.Trial::cut).isSubsetOf(cuts);
        SettingsChoice.Trial bestLinear = linear.stream()
                .max(Comparator.comparingDouble(SettingsChoice.Trial::validationAccuracy)).orElseThrow();
        assertThat(choice.trials()).filteredOn(t -> t.head().equals(SettingsSearch.MLP_HEAD.describe()))
                .hasSize(SettingsSearch.LEARNING_RATES.size())
                .allSatisfy(t -> assertThat(t.cut()).isEqualTo(bestLinear.cut()));
        assertThat(choice.cut()).isEqualTo(bestLinear.cut()).isEqualTo(result.cutTensor());
        SettingsChoice.Trial chosenTrial = choice.trials().stream().filter(t -> t.head().equals(choice.head())
                && t.learningRate() == choice.learningRate() && t.cut().equals(choice.cut())).findFirst().orElseThrow();
        if (choice.head().equals("linear")) {
            assertThat(chosenTrial).isEqualTo(bestLinear);
        } else { // an MLP head only when it beats the best linear head by the margin
            assertThat(chosenTrial.validationAccuracy())
                    .isGreaterThanOrEqualTo(bestLinear.validationAccuracy() + SettingsSearch.MLP_MARGIN);
        }
        assertThat(result.head()).isEqualTo(choice.head());

        // the head epoch kept is the best on the validation split
        assertThat(result.headEpochs()).hasSize(TransferConfig.DEFAULT_EPOCHS)
                .allSatisfy(e -> assertThat(e.validationAccuracy()).isNotNull());
        HeadEpoch best = result.headEpochs().stream().max(Comparator.comparingDouble(HeadEpoch::validationAccuracy)
                .thenComparing(HeadEpoch::epoch, Comparator.reverseOrder())).orElseThrow();
        assertThat(choice.keptEpoch()).isEqualTo(best.epoch());
        assertThat(choice.validationAccuracy()).isEqualTo(best.validationAccuracy());

        // the choice is part of the transfer's energy, and written into the model
        assertThat(choice.searchEnergy().joules()).isPositive().isLessThan(result.energy().joules());
        assertThat(OnnxGraph.of(result.model()).metadata())
                .containsEntry("verdant.transfer.chosen_on_validation", "cut,head,learning_rate,epochs")
                .containsEntry("verdant.transfer.cut", choice.cut())
                .containsEntry("verdant.transfer.head_kept_epoch", Integer.toString(choice.keptEpoch()));
        try (OrtClassifier ort = OrtClassifier.load(result.model(), 1)) {
            assertThat(ort.evaluate(samples.test(), 50).accuracy()).isEqualTo(result.accuracy());
        }
        assertThat(result.accuracy()).isGreaterThan(0.5); // chance is 0.1

        // the test data plays no part in choosing: the same run scored on the test images with their labels
        // rotated chooses exactly the same, to the last trial's accuracy
        ImageDataset test = samples.test();
        int[] rotated = test.labels().clone();
        for (int i = 0; i < rotated.length; i++) {
            rotated[i] = (rotated[i] + 1) % test.classCount();
        }
        ImageDataset relabelled = new ImageDataset("relabelled", test.pixels(), 1, 28, 28, rotated,
                test.classNames());
        TransferResult other = fit(choosingEpochs, relabelled);
        SettingsChoice otherChoice = other.settings().orElseThrow();
        assertThat(otherChoice.trials()).isEqualTo(choice.trials());
        assertThat(otherChoice.keptEpoch()).isEqualTo(choice.keptEpoch());
        assertThat(other.accuracy()).isLessThan(result.accuracy());
    }

    @Test
    void givenSettingsWinOverTheChoice() {
        TransferConfig config = TransferConfig.builder().optChooseUnset(true).optHead(new Head.Mlp(16))
                .optLearningRate(0.005f).optEpochs(2).optBatchSize(100).optThreads(1).build();
        assertThat(config.toChoose()).containsExactly(Setting.CUT);
        TransferResult result = fit(config, samples.test());
        SettingsChoice choice = result.settings().orElseThrow();
        assertThat(choice.chosen()).containsExactly("cut");
        assertThat(choice.trials()).isNotEmpty().allSatisfy(t -> {
            assertThat(t.head()).isEqualTo("mlp:16");
            assertThat(t.learningRate()).isEqualTo(0.005f);
        });
        assertThat(choice.head()).isEqualTo("mlp:16");
        assertThat(choice.batchSize()).isEqualTo(100);
        assertThat(choice.learningRate()).isEqualTo(0.005f);
        // epochs given: both trained, the last kept, none scored on the validation split
        assertThat(result.headEpochs()).hasSize(2).allSatisfy(e -> assertThat(e.validationAccuracy()).isNull());
        assertThat(choice.keptEpoch()).isEqualTo(2);
        assertThat(choice.validationAccuracy()).isNaN();

        // a cut, a head model, or unfreezing: nothing is chosen, and the defaults are as before
        assertThat(TransferConfig.builder().optChooseUnset(true).optCut("Relu_1").build().toChoose()).isEmpty();
        assertThat(TransferConfig.builder().optChooseUnset(true).optUnfreezeLast(1).build().choosesSettings())
                .isFalse();
        TransferConfig headModel = TransferConfig.builder().optChooseUnset(true)
                .optHead(new Head.Given(new Head.Linear().build(84, 10, 1, 17))).build();
        assertThat(headModel.toChoose()).isEmpty();
        assertThat(headModel.batchSize()).isEqualTo(64);
        assertThatThrownBy(() -> new TransferConfig(Optional.of("Relu_1"), new Head.Linear(), 0, 1, 1, 8, 0.01f,
                0.001f, dev.verdant.train.OptimizerConfig.adamW(), dev.verdant.train.ScheduleKind.COSINE, 1, 1, 0, 0,
                false, Optional.empty(), 8, dev.verdant.train.TrainingListener.NONE, "t", 0.1,
                java.util.Set.of(Setting.CUT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the cut is given (Relu_1)");
    }

    private static TransferResult fit(TransferConfig config, ImageDataset test) {
        try (TrackedRun run = Tracker.start("test")) {
            return new TransferLearner(config).fit(samples.digitsNet(), "digits.onnx", samples.train(), test, run);
        }
    }
}
