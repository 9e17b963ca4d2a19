package dev.verdant.compress.distill;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.retrain.Retrainer;
import dev.verdant.compress.retrain.RetrainingOptions;
import dev.verdant.compress.retrain.RetrainingPass;
import dev.verdant.compress.retrain.SoftmaxOutput;
import dev.verdant.compress.retrain.TrainingSetup;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.PartlyLabelled;
import dev.verdant.energy.Measured;
import dev.verdant.energy.Tracker;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.runtime.inspect.ModelInspector;
import dev.verdant.train.StepHook;
import dev.verdant.train.Teacher;
import dev.verdant.train.TrainingListener;
import dev.verdant.train.TrainingLoss;
import dev.verdant.train.zoo.Architecture;
import dev.verdant.train.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Knowledge distillation (Hinton et al., 2015) as a recipe step ({@code distill:student=mobilenet,width=0.5,T=4,
 * alpha=0.9}): the model being compressed is the teacher, run in ONNX Runtime for its softened outputs; the student,
 * a zoo architecture or any ONNX classifier file, trains on {@code alpha T^2 KL(teacher/T || student/T) + (1 - alpha)
 * CE}. The result is the student, so the report compares it with the teacher side by side.
 *
 * <p>By default ({@code cache=true}) the teacher runs once over the training set before training and its logits are
 * reused every epoch: the training batches hold exactly those samples, so the soft targets are the same as running
 * the teacher on every batch ({@code cache=false}), and the teacher's inference is paid once instead of once per
 * epoch. The report gives the energy that one pass spent. With {@code augment=} (random shifts and mirrors of the
 * training images) the teacher runs on every augmented batch instead, seeing exactly what the student sees
 * ("consistent teaching", Beyer et al. 2022).
 *
 * <p>With {@code transfer=} ({@link TransferSet}) the student also trains on unlabelled images: the teacher's soft
 * targets are their only loss, the labelled images keep both terms. This is how distillation passes on what the
 * teacher knows beyond the labels, when part of the data is labelled ({@code examples=6000,transfer=rest}) or more
 * images than labels exist.
 */
public final class DistillationPass extends RetrainingPass {

    private final String student;
    private final double width;
    private final TrainingLoss.Distillation loss;
    private final boolean cacheTeacher;
    private final Optional<TransferSet> transfer;

    /**
     * @param student     a zoo image architecture ({@code mlp}, {@code lenet5}, {@code mobilenet}) or an ONNX file
     * @param width       the width multiplier of a zoo MobileNet (1 for the others)
     * @param temperature the softening temperature T
     * @param alpha       the weight of the teacher's soft targets
     * @param cacheTeacher whether the teacher runs once over the training set (its logits reused every epoch) rather
     *                    than on every batch
     * @param transfer    unlabelled images the student also learns from, through the teacher's soft targets only
     * @throws IllegalArgumentException for an unknown student, or a transfer set at alpha 0 (nothing would score it)
     */
    public DistillationPass(String student, double width, float temperature, float alpha, boolean cacheTeacher,
            Optional<TransferSet> transfer, RetrainingOptions options, TrainingSetup setup) {
        super("distill", options, setup);
        this.loss = new TrainingLoss.Distillation(temperature, alpha);
        if (transfer.isPresent() && !loss.needsTeacher()) {
            throw new IllegalArgumentException("distill: transfer= images have no labels and only the teacher scores "
                    + "them, which alpha=0 turns off; drop transfer= for the student trained alone");
        }
        if (transfer.orElse(null) instanceof TransferSet.Rest && options.maxExamples() == 0) {
            throw new IllegalArgumentException("distill: transfer=rest takes the training images beyond a labelling "
                    + "budget: add examples=N (e.g. examples=6000,transfer=rest)");
        }
        this.transfer = transfer;
        if (!isFile(student) && !Zoo.IMAGE_ARCHITECTURES.contains(student.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("distill: student '" + student + "' is neither an ONNX file nor one of "
                    + Zoo.IMAGE_ARCHITECTURES);
        }
        this.student = student;
        this.width = width;
        this.cacheTeacher = cacheTeacher;
    }

    @Override
    public void validate(OnnxGraph graph) {
        if (graph.inputs().size() != 1 || graph.outputs().isEmpty()) {
            throw new IllegalArgumentException("distill needs a teacher classifier with one input and a logits output;"
                    + " this model has inputs " + graph.inputs().stream().map(ValueInfoProto::getName).toList());
        }
        refuseProbabilities(graph, "teacher");
    }

    /**
     * Both losses take logits: a model whose first output is a Softmax would have its probabilities softened again as
     * if they were logits, flattening the targets without any error, so it is refused.
     */
    private static void refuseProbabilities(OnnxGraph graph, String role) {
        SoftmaxOutput.of(graph).ifPresent(output -> {
            throw new IllegalArgumentException("distill reads logits, but the " + role + "'s output '" + output
                    + "' is a Softmax of them: give the model without its final Softmax");
        });
    }

    @Override
    public PassOutput apply(ModelProto teacher, PassContext context) {
        Retrainer retrainer = retrainer(name());
        int classes = retrainer.data().train().classCount();
        ModelProto studentModel;
        String startedFrom;
        if (isFile(student)) {
            studentModel = OnnxModels.read(student);
            refuseProbabilities(OnnxGraph.of(studentModel), "student");
            startedFrom = Path.of(student).getFileName().toString();
        } else {
            Architecture architecture = Zoo.imageClassifier(student, classes, width, setup.seed());
            studentModel = architecture.build();
            startedFrom = "zoo:" + architecture.id() + (width != 1.0 ? " width " + width : "");
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        Optional<ImageDataset> unlabelled = transfer.map(t -> t.load(retrainer, setup.requireData(name())));
        // augmented batches hold samples the cache never saw: the teacher sees each changed batch as the student does
        boolean cache = cacheTeacher && options.augmentation().isIdentity();
        Teacher source = !loss.needsTeacher() ? null
                : cache ? cachedTeacher(teacher, retrainer, unlabelled, facts) : new Teacher.PerBatch(teacher);
        Retrainer.Retrained trained = unlabelled.isPresent()
                ? retrainer.train(studentModel, startedFrom, options, StepHook.NONE, TrainingListener.NONE, loss,
                        source, unlabelled.get())
                : retrainer.train(studentModel, startedFrom, options, StepHook.NONE, TrainingListener.NONE, loss,
                        source);
        long teacherMacs = macsPerExample(teacher, retrainer);
        long studentMacs = macsPerExample(trained.model(), retrainer);
        facts.put("student", startedFrom);
        facts.put("loss", loss.describe());
        if (!options.augmentation().isIdentity()) {
            facts.put("augmentation", options.augmentation().describe());
        }
        facts.put("labelledSamples", retrainer.data().train().size());
        unlabelled.ifPresent(images -> {
            facts.put("transfer", transfer.get().describe());
            facts.put("unlabelledSamples", images.size());
        });
        facts.put("teacher", source == null ? "not run (alpha 0: cross-entropy only)" : source.describe());
        facts.put("teacherMacsPerExample", teacherMacs);
        facts.put("studentMacsPerExample", studentMacs);
        facts.put("macsRatio", (double) studentMacs / teacherMacs);
        facts.putAll(trained.facts("distill"));
        return new PassOutput(trained.model(), facts);
    }

    /**
     * Runs the teacher once over the training set, measuring what that costs; a per-batch teacher would pay it again
     * in every epoch after the first, which is what the cache saves.
     */
    private Teacher cachedTeacher(ModelProto teacher, Retrainer retrainer, Optional<ImageDataset> unlabelled,
            Map<String, Object> facts) {
        Measured<Teacher.Cached> measured;
        ImageDataset train = retrainer.data().train();
        try {
            measured = Tracker.measure("verdant compress: teacher logits", () -> unlabelled.isPresent()
                    ? Teacher.cache(teacher, new PartlyLabelled(train, unlabelled.get()), setup.threads(),
                            Teacher.CACHE_BATCH)
                    : Teacher.cache(teacher, train, setup.threads(), Teacher.CACHE_BATCH));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the teacher's logits could not be computed: " + e.getMessage(), e);
        }
        double joules = measured.report().itEnergy().joules();
        facts.put("teacherCacheSeconds", measured.report().durationSeconds());
        facts.put("teacherCacheEnergyJoules", joules);
        facts.put("teacherEnergySavedJoules", joules * (options.epochs() - 1));
        return measured.value();
    }

    private static long macsPerExample(ModelProto model, Retrainer retrainer) {
        ValueInfoProto input = OnnxGraph.of(model).inputs().get(0);
        long[] sample = retrainer.data().train().sampleShape();
        int declared = input.getType().getTensorType().getShape().getDimCount();
        long[] shape = new long[declared];
        shape[0] = 1;
        if (declared == sample.length + 1) {
            System.arraycopy(sample, 0, shape, 1, sample.length);
        } else { // a flat input: one row of all the features
            shape[declared - 1] = java.util.Arrays.stream(sample).reduce(1, Math::multiplyExact);
            for (int i = 1; i < declared - 1; i++) {
                shape[i] = 1;
            }
        }
        return ModelInspector.inspect("model", model.getSerializedSize(), model, Map.of(input.getName(), shape))
                .macs();
    }

    private static boolean isFile(String spec) {
        return spec.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx") || Files.isRegularFile(Path.of(spec));
    }
}
