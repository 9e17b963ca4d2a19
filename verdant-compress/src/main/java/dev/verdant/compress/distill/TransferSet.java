package dev.verdant.compress.distill;

import dev.verdant.compress.retrain.Retrainer;
import dev.verdant.data.DataSource;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Part;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a distillation step's unlabelled images come from ({@code distill:...,transfer=rest} or
 * {@code transfer=DATA}): images the teacher scores and the student learns from, without their labels being read.
 * Hinton et al. 2015 and Bucila et al. 2006 distil on such a transfer set; it is how a teacher's knowledge reaches
 * a student beyond the images both were trained on, e.g. when only part of the data is labelled.
 */
public sealed interface TransferSet {

    /** The recipe word for the training images left out by {@code examples=N}. */
    String REST = "rest";

    /**
     * The training images of {@code --data} that {@code examples=N} leaves out (the rest of the same seeded shuffle):
     * the images beyond a labelling budget of N.
     */
    record Rest() implements TransferSet {
        @Override
        public String describe() {
            return "the training images beyond examples=, labels unread";
        }
    }

    /**
     * Another image dataset (a name or path as {@code --data} takes them): its training part when it has one, else
     * all of it; its labels, if any, are not read.
     *
     * @param spec the dataset name or path
     */
    record Images(String spec) implements TransferSet {
        public Images {
            Objects.requireNonNull(spec);
        }

        @Override
        public String describe() {
            return spec + " (training part), labels unread";
        }
    }

    /** {@code rest}, or a dataset name or path. */
    static TransferSet parse(String value) {
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("recipe step 'distill': transfer= needs rest or a dataset, e.g. "
                    + "transfer=rest with examples=6000");
        }
        return trimmed.toLowerCase(Locale.ROOT).equals(REST) ? new Rest() : new Images(trimmed);
    }

    /** One line for reports. */
    String describe();

    /**
     * Loads the unlabelled images for a step whose labelled data {@code retrainer} holds.
     *
     * @param dataSpec the step's {@code --data}, which a separate transfer set must not be
     * @throws IllegalArgumentException with one line when there are none or they are the labelled data itself
     */
    default ImageDataset load(Retrainer retrainer, String dataSpec) {
        return switch (this) {
            case Rest rest -> retrainer.unusedTraining().orElseThrow(() -> new IllegalArgumentException(
                    "distill: transfer=rest takes the training images that examples=N leaves out, and there are none:"
                            + " give examples= fewer than the " + retrainer.data().train().size()
                            + " training images"));
            case Images images -> {
                DataSource<ImageDataset> source = Datasets.resolveImages(images.spec());
                if (source.files().equals(Datasets.resolveImages(dataSpec).files())) {
                    throw new IllegalArgumentException("distill: transfer=" + images.spec() + " is the --data set "
                            + "itself; for its images beyond a labelling budget use transfer=rest with examples=N");
                }
                ImageDataset all = source.parts().contains(Part.TRAIN) ? source.load(Part.TRAIN) : source.loadAll();
                yield all.withName(source.name() + " (labels unread)");
            }
        };
    }
}
