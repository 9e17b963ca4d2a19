package dev.verdant.optimize;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.bench.BenchRunner;
import dev.verdant.bench.ProcessMemory;
import dev.verdant.compress.Compressor;
import dev.verdant.compress.GraphEdit;
import dev.verdant.energy.Tracker;
import dev.verdant.data.Datasets;
import dev.verdant.io.AtomicFiles;
import dev.verdant.io.RunFiles;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.Provenance;
import dev.verdant.optimize.CandidateResult.ThreadMeasurement;
import dev.verdant.optimize.SearchSpace.ModelKind;
import dev.verdant.report.HtmlReport;
import dev.verdant.report.ParetoSet.Criterion;
import dev.verdant.report.ParetoSet;
import dev.verdant.report.Report;
import dev.verdant.report.Report.LayerRow;
import dev.verdant.report.ReportJson;
import dev.verdant.report.ReportView;
import dev.verdant.report.Result;
import dev.verdant.report.RunInfo;
import dev.verdant.report.Search;
import dev.verdant.report.Search.Quality;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.runtime.Feed;
import dev.verdant.runtime.ModelInputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The hardware-aware search behind {@code verdant optimize}: tries recipes in {@link SearchSpace} order, builds and
 * checks each with the {@link Compressor} (accuracy or fidelity against the original on real inputs), measures its
 * speed and energy at each thread count with the {@link BenchRunner} on this machine (the work of one candidate,
 * {@link CandidateBuilder}, which a {@link CandidateMeasurer} may run on a cluster's executors instead), keeps the
 * Pareto front of quality, energy and size, and writes the point that minimizes the objective among those that meet
 * the tolerance, with the report. Finished candidates go to a state file at once, so a rerun resumes; the budget stops
 * the search before a candidate it could not finish.
 */
public final class Optimizer {

    private final CandidateMeasurer measurer;
    private final SearchListener listener;
    private final LongSupplier nanoClock;

    /**
     * A search whose candidates are built and measured on this machine, one at a time.
     *
     * @param tracker   where energy comes from
     * @param memory    where resident memory is read
     * @param listener  follows the search (a progress bar)
     * @param nanoClock the clock the budget is judged by ({@code System::nanoTime})
     */
    public Optimizer(Tracker tracker, ProcessMemory memory, SearchListener listener, LongSupplier nanoClock) {
        this(CandidateMeasurer.onThisMachine(tracker, memory, nanoClock), listener, nanoClock);
    }

    /**
     * A search whose candidates are built and measured by {@code measurer} (on a cluster's executors, say), the
     * state, the front and the choice kept here.
     *
     * @param listener  follows the search (a progress bar)
     * @param nanoClock the clock the budget is judged by ({@code System::nanoTime})
     */
    public Optimizer(CandidateMeasurer measurer, SearchListener listener, LongSupplier nanoClock) {
        this.measurer = measurer;
        this.listener = listener;
        this.nanoClock = nanoClock;
    }

    /**
     * Searches, writes the chosen model and the report, and returns what was found.
     *
     * @throws IllegalArgumentException with one line for bad input (missing model, data that does not fit, a work
     *                                  folder holding another search, an output that is the input), before any
     *                                  output is written
     */
    public Result run(OptimizeRequest request) {
        long start = nanoClock.getAsLong();
        Path inputPath = request.model().file();
        Path html = request.work().resolve("report.html");
        Path json = request.work().resolve("report.json");
        // every file the search reads and writes, checked before any work: no output is an input or a device
        RunFiles files = RunFiles.none().reading(inputPath, request.model().tokenizer().orElse(null),
                Datasets.pathOf(request.data())).reading(request.inputsPath())
                .reading(request.quality().metrics().jars().toArray(Path[]::new))
                .writing("--out", request.out()).writing("--work report", html)
                .writing("--work report", json).check();
        ModelProto model = request.model().read();
        ModelKind kind = kindOf(model, request);
        if (kind == ModelKind.CLASSIFIER && request.data() == null) {
            throw new IllegalArgumentException("--data is required: labelled examples the model classifies, e.g. "
                    + "--data fashion-mnist (or real inputs without labels, to judge the model by its outputs)");
        }
        // --tolerance and --state name outputs and inputs of this model: checked before any candidate is built
        List<String> outputNames = OnnxGraph.of(model).outputs().stream().map(ValueInfoProto::getName).toList();
        request.quality().toleranceSet().validate(outputNames, request.quality().metrics());
        request.quality().states().validate(outputNames, ModelInputs.of(model).names());
        List<Tolerance> tolerances = new ArrayList<>(request.tolerances().isEmpty() ? defaultTolerances(kind)
                : request.tolerances());
        if (!request.quality().tolerances().isEmpty()) {
            // stated output tolerances join a classifier's or encoder's own, and replace a model's output defaults
            if (kind == ModelKind.OUTPUTS) {
                tolerances.clear();
            }
            tolerances.add(new Tolerance.OutputTolerances(request.quality().tolerances()));
        }
        String dataSpec = SearchContext.dataSpec(request, kind);
        Feed feed = SearchContext.feed(request, kind);

        String fingerprint = fingerprint(request, inputPath, dataSpec, tolerances);
        SearchState state = SearchState.load(request.work(), fingerprint);
        Path candidateFolder = request.work().resolve("candidates");

        int resumed = state.candidates().size();
        int built = 0;
        long builtNanos = 0;
        List<String> skipped = List.of();
        Search.Executors executors;
        listener.searchStarted(resumed, pending(kind, request, state, tolerances).size() + resumed);
        try (CandidateMeasurer.Session session = measurer.open(new SearchContext(request, kind, tolerances, feed,
                candidateFolder))) {
            // after the measurer started: a cluster that cannot be reached leaves no folder behind
            createFolder(candidateFolder);
            while (true) {
                List<CandidatePlan> pending = pending(kind, request, state, tolerances);
                if (pending.isEmpty()) {
                    break;
                }
                long elapsed = nanoClock.getAsLong() - start;
                // as many candidates as the measurer takes at once (one on this machine), each allowed by the budget;
                // the original is always measured: without it no candidate can be compared
                List<CandidatePlan> wave = new ArrayList<>();
                for (CandidatePlan plan : pending) {
                    if (wave.size() == session.parallelism() || !plan.isOriginal() && !request.budget().allowsAnother(
                            elapsed, built + (int) wave.stream().filter(p -> !p.isOriginal()).count(),
                            built == 0 ? 0 : builtNanos / built)) {
                        break;
                    }
                    wave.add(plan);
                }
                if (wave.isEmpty()) {
                    skipped = pending.stream().map(CandidatePlan::id).toList();
                    break;
                }
                int done = state.candidates().size();
                for (int i = 0; i < wave.size(); i++) {
                    listener.candidateStarted(wave.get(i), done + i, done + pending.size());
                }
                long waveStart = nanoClock.getAsLong();
                List<CandidateBuilder.Built> results = session.measure(wave,
                        request.budget().time().toNanos() - elapsed);
                long waveNanos = nanoClock.getAsLong() - waveStart;
                for (CandidateBuilder.Built measured : results) {
                    CandidateResult result = measured.result();
                    state = state.with(result);
                    if (measured.machine() != null && state.machine() == null) {
                        state = state.measuredOn(measured.machine(), measured.energy());
                    }
                    state.save(request.work());
                    if (!result.plan().isOriginal()) {
                        // a wave's candidates ran side by side: each is charged the wave's time
                        built++;
                        builtNanos += waveNanos;
                    }
                    done++;
                    listener.candidateFinished(result, meets(result, tolerances), done,
                            done + pending(kind, request, state, tolerances).size());
                }
            }
            executors = session.executors();
        }
        listener.searchFinished(state.candidates().size(), skipped.size());

        List<CandidateResult> candidates = withOriginalQuality(state.candidates());
        List<OperatingPoint> points = points(candidates, tolerances);
        if (points.isEmpty()) {
            throw new IllegalStateException("the original model could not be measured");
        }
        List<OperatingPoint> front = front(points);
        OperatingPoint chosen = choose(points, request.objective());
        OperatingPoint original = points.stream().filter(p -> p.candidate().plan().isOriginal())
                .filter(p -> p.measurement().threads() == request.threads().get(0)).findFirst()
                .orElse(points.get(0));
        ModelProto written = writeChosen(chosen, request, files);
        List<LayerRow> layers = LayerView.of(written, chosen.facts().bytes(), benchBatch(kind, request),
                request.sequenceLength());
        Search search = new Search(request.model().name(), switch (kind) {
            case TEXT_ENCODER -> Search.TEXT_ENCODER;
            case CLASSIFIER -> Search.CLASSIFIER;
            case OUTPUTS -> Search.OUTPUTS;
        }, request.objective().part(), tolerances.stream().map(Tolerance::describe).toList(),
                candidates.stream().map(CandidateResult::part).toList(),
                points.stream().map(p -> p.part(request.objective().value(p))).toList(),
                front.stream().map(OperatingPoint::name).toList(), chosen.name(), original.name(), layers, skipped,
                resumed, candidates.size() - resumed, request.out().toString(), html.toString(), json.toString(),
                executors);
        double seconds = (nanoClock.getAsLong() - start) / 1e9;
        RunInfo run = new RunInfo("verdant optimize", request.command(),
                Instant.now().minusMillis(Math.round(seconds * 1000)).toString(), seconds, feed.description(),
                request.config());
        Result result = Result.of(run, state.machine(), state.energy(), notes(search), search);
        writeReport(result, html, json);
        return result;
    }

    /** Writes the result's report as HTML and as JSON ({@code kind = "report"}), each atomically. */
    private static void writeReport(Result result, Path html, Path json) {
        Report report = ReportView.of(result, "the search's result");
        byte[] page = HtmlReport.render(report).getBytes(StandardCharsets.UTF_8);
        byte[] record = ReportJson.write(report).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(html, page);
        AtomicFiles.write(json, record);
    }

    /** How to read a search's figures, and what it could not build or did not try. */
    private static List<String> notes(Search search) {
        List<String> notes = new ArrayList<>();
        notes.add("every candidate was built with verdant compress, checked against the original on real inputs "
                + "in ONNX Runtime, and timed with verdant bench at each thread count side by side with the original "
                + "(alternating blocks); a candidate's time and energy are the original's scaled by those ratios, so "
                + "candidates measured minutes apart on a loaded machine stay comparable");
        notes.add("the Pareto front of the search weighs three objectives (quality, energy per inference, size); "
                + "the chart shows two of them");
        for (Search.Candidate c : search.candidates()) {
            if (!c.succeeded()) {
                notes.add(c.id() + " could not be built: " + c.error());
            }
        }
        if (!search.skipped().isEmpty()) {
            notes.add("untried when the budget ran out: " + String.join(", ", search.skipped()));
        }
        if (search.executors() != null) {
            notes.add(search.executors().describe());
        }
        return notes;
    }

    /** The default tolerance of a kind of model. */
    public static List<Tolerance> defaultTolerances(ModelKind kind) {
        return switch (kind) {
            case TEXT_ENCODER -> List.of(new Tolerance.MinFidelity(0.99));
            case CLASSIFIER -> List.of(new Tolerance.AccuracyDrop(1, true));
            case OUTPUTS -> List.of(new Tolerance.OutputTolerances(List.of()));
        };
    }

    /**
     * What the search is shaping: a text encoder (it reads token ids), a model judged by its outputs (given real
     * inputs without labels), else a classifier of the labelled {@code --data}.
     */
    static ModelKind kindOf(ModelProto model, OptimizeRequest request) {
        if (ModelInputs.of(model).readsText()) {
            return ModelKind.TEXT_ENCODER;
        }
        return request.inputs() != null ? ModelKind.OUTPUTS : ModelKind.CLASSIFIER;
    }

    /** Examples a timed run holds: the user's examples come one at a time. */
    private static int benchBatch(ModelKind kind, OptimizeRequest request) {
        return kind == ModelKind.OUTPUTS ? 1 : request.batchSize();
    }

    /** The point that minimizes the objective among those that meet the tolerance; ties go to the smaller, better. */
    static OperatingPoint choose(List<OperatingPoint> points, Objective objective) {
        return points.stream().filter(OperatingPoint::meetsTolerance)
                .min(Comparator.comparingDouble(objective::value)
                        .thenComparingLong(p -> p.facts().bytes())
                        .thenComparing(p -> p.score() == null ? 0 : -p.score())
                        .thenComparingInt(p -> p.measurement().threads()))
                .orElseThrow(() -> new IllegalStateException("no operating point meets the tolerance, not even "
                        + "the original's"));
    }

    /** The front of quality (higher), energy per inference (lower) and size (lower). */
    static List<OperatingPoint> front(List<OperatingPoint> points) {
        return ParetoSet.front(points, List.of(Criterion.higher(OperatingPoint::score),
                Criterion.lower(p -> p.measurement().energyJoulesPerInference()),
                Criterion.lower(p -> (double) p.facts().bytes())));
    }

    static boolean meets(CandidateResult result, List<Tolerance> tolerances) {
        if (!result.succeeded()) {
            return false;
        }
        if (result.plan().isOriginal()) {
            return true;
        }
        return result.quality() != null && tolerances.stream().allMatch(t -> t.holds(result.quality()));
    }

    /**
     * Every candidate at every thread count, its time and energy the original's scaled by the ratios measured side
     * by side (see {@link ThreadMeasurement#relativeTo}); the original's own points are as measured.
     */
    private static List<OperatingPoint> points(List<CandidateResult> candidates, List<Tolerance> tolerances) {
        Optional<CandidateResult> original = candidates.stream().filter(c -> c.plan().isOriginal()).findFirst();
        List<OperatingPoint> points = new ArrayList<>();
        for (CandidateResult candidate : candidates) {
            boolean meets = meets(candidate, tolerances);
            for (ThreadMeasurement m : candidate.measurements()) {
                Optional<ThreadMeasurement> reference = original.flatMap(o -> o.at(m.threads()));
                points.add(new OperatingPoint(candidate, candidate.plan().isOriginal() || reference.isEmpty() ? m
                        : m.relativeTo(reference.get()), meets));
            }
        }
        return points;
    }

    /** The original's quality, known once any candidate measured the original's accuracy beside its own. */
    private static List<CandidateResult> withOriginalQuality(List<CandidateResult> candidates) {
        Quality measured = candidates.stream().filter(c -> !c.plan().isOriginal() && c.quality() != null)
                .map(CandidateResult::quality).findFirst().orElse(null);
        return candidates.stream().map(c -> c.plan().isOriginal() && measured != null
                ? c.withQuality(Quality.ofOriginal(measured.originalAccuracy(), measured.examples())) : c).toList();
    }

    private static List<CandidatePlan> pending(ModelKind kind, OptimizeRequest request, SearchState state,
            List<Tolerance> tolerances) {
        Map<String, CandidateResult> finished = state.byId();
        return SearchSpace.plans(kind, request.objective(), finished, r -> !meets(r, tolerances)).stream()
                .filter(p -> !finished.containsKey(p.id())).toList();
    }

    /** Writes the chosen model with what chose it in its metadata, and returns it as written. */
    private static ModelProto writeChosen(OperatingPoint chosen, OptimizeRequest request, RunFiles files) {
        GraphEdit edit = new GraphEdit(OnnxModels.read(Path.of(chosen.candidate().modelFile())));
        edit.putMetadata(Provenance.key(Provenance.OPTIMIZE, "candidate"), chosen.candidate().plan().id());
        edit.putMetadata(Provenance.key(Provenance.OPTIMIZE, "threads"), String.valueOf(chosen.measurement().threads()));
        edit.putMetadata(Provenance.key(Provenance.OPTIMIZE, "objective"), request.objective().optionName());
        edit.putMetadata(Provenance.key(Provenance.OPTIMIZE, "source"), request.model().name());
        if (chosen.candidate().plan().isOriginal()) {
            edit.putMetadata(Provenance.key(Provenance.OPTIMIZE, "verdant_version"), request.version());
        }
        ModelProto written = edit.build();
        OnnxModels.write(written, request.out(), files.inputArray());
        return written;
    }

    /**
     * What the finished candidates depend on. The model is identified by its path, size and modification time
     * rather than a hash, so resuming a search of a 90 MB model costs no second read of it.
     */
    private static String fingerprint(OptimizeRequest request, Path inputPath, String dataSpec,
            List<Tolerance> tolerances) {
        try {
            Path absolute = inputPath.toAbsolutePath().normalize();
            return String.format(Locale.ROOT, "model %s (%d bytes, modified %s); data %s; %s; threads %s; batch %d; "
                    + "sequence %d; padding %s; calibration %d; check %d", absolute, Files.size(absolute),
                    Files.getLastModifiedTime(absolute), request.inputs() == null ? dataSpec
                            : dataSpec + " (values SHA-256 " + request.inputs().digest() + ")",
                    String.join(", ", tolerances.stream().map(Tolerance::describe).toList()), request.threads(),
                    request.batchSize(), request.sequenceLength(), request.padding(), request.calibration(),
                    request.checkExamples());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + inputPath + ": " + e.getMessage(), e);
        }
    }

    private static void createFolder(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create the work folder " + folder + ": " + e.getMessage(), e);
        }
    }
}
