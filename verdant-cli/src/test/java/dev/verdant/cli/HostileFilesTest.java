package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.verdant.compress.pack.VdzContainer;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.train.zoo.Zoo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-file battery (issue 22): every command that reads a file, given a file that is empty, truncated,
 * random bytes, a folder, a device, a FIFO, a symbolic link loop or a name that is not UTF-8, and every command that
 * writes one, given an output that is {@code /dev/null} or one of its inputs (by path, symbolic link or hard link),
 * exits 2 with one line on stderr naming the file or the option, prints no stack trace, leaves no output and no
 * {@code .part} file, and changes no input. One in-process command line runs every case.
 */
class HostileFilesTest {

    /** Longest a refusal may take; every case is refused before any real work. */
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private static Path corpus;
    private static final AtomicInteger OUTPUTS = new AtomicInteger();

    /** The valid files, each a command's good input, and the source of its truncated copy. */
    private static Path model;
    private static Path vdz;
    private static Path results;
    private static Path forecast;
    private static Path table;
    private static Path tokenizer;
    private static Path config;
    private static Path npy;
    private static Path tensorProto;
    private static Path png;
    private static Path wav;

    @BeforeAll
    static void writeCorpus() throws Exception {
        corpus = Files.createDirectories(dir.resolve("corpus"));
        model = corpus.resolve("mlp.onnx");
        OnnxModels.write(Zoo.imageClassifier("mlp", 10, 1.0, 1).build(), model);
        vdz = Files.write(corpus.resolve("mlp.vdz"), VdzContainer.pack(OnnxModels.read(model)).bytes());
        results = Files.writeString(corpus.resolve("results.json"), """
                {"schema_version": 2, "kind": "bench", "run": {"command": "verdant bench mlp.onnx"}}
                """);
        forecast = Files.writeString(corpus.resolve("forecast.csv"), """
                region,time,intensity_g_per_kwh
                DE,2026-11-23T00:00:00Z,400
                DE,2026-11-23T01:00:00Z,350
                """);
        table = Files.writeString(corpus.resolve("table.csv"), "a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n");
        // --inputs: one example of the model's input in each format verdant-inputs reads
        long[] shape = dev.verdant.runtime.ModelInputs.of(OnnxModels.read(model)).only().shape().clone();
        shape[0] = 1;
        int[] dims = java.util.Arrays.stream(shape).mapToInt(d -> (int) d).toArray();
        int size = java.util.Arrays.stream(dims).reduce(1, Math::multiplyExact);
        npy = corpus.resolve("example.npy");
        org.jetbrains.bio.npy.NpyFile.write(npy, new float[size], dims);
        tensorProto = Files.write(corpus.resolve("example.pb"), dev.verdant.onnx.Tensors.ofFloats("x", shape,
                new float[size]).toByteArray());
        png = corpus.resolve("example.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(28, 28,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png", png.toFile());
        wav = corpus.resolve("example.wav");
        try (javax.sound.sampled.AudioInputStream audio = new javax.sound.sampled.AudioInputStream(
                new java.io.ByteArrayInputStream(new byte[2 * size]),
                new javax.sound.sampled.AudioFormat(16000, 16, 1, true, false), size)) {
            javax.sound.sampled.AudioSystem.write(audio, javax.sound.sampled.AudioFileFormat.Type.WAVE, wav.toFile());
        }
        tokenizer = Files.writeString(corpus.resolve("tokenizer.json"), """
                {"model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "a": 1}}}
                """);
        // one flow mapping, so that any cut of it is no longer YAML
        config = Files.writeString(corpus.resolve("config.yaml"), "{model: \"" + model + "\", data: \"" + table
                + "\"}\n");
    }

    /** One hostile input: how to make it from the valid file of its kind. */
    private record Hostile(String name, Function<Path, Path> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** One command line and what it must leave behind. */
    record Case(String name, List<String> args, Path output, String names) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static List<Hostile> hostileInputs() {
        return List.of(
                new Hostile("empty", valid -> write(valid, "empty", new byte[0])),
                new Hostile("truncated", valid -> write(valid, "truncated", truncated(valid))),
                new Hostile("random bytes", valid -> write(valid, "random", randomBytes(valid))),
                new Hostile("a folder", valid -> folder(valid)),
                new Hostile("/dev/zero", valid -> Path.of("/dev/zero")),
                new Hostile("a FIFO", valid -> fifo(valid)),
                new Hostile("a symlink loop", valid -> symlinkLoop(valid)),
                new Hostile("a non-UTF-8 name", valid -> nonUtf8Name(valid)));
    }

    /** The commands, each with the one file it reads given as {@code %s} and its output as {@code OUT}. */
    private static Map<String, Reader> readers() {
        Map<String, Reader> readers = new LinkedHashMap<>();
        readers.put("inspect MODEL", new Reader(model, "inspect %s"));
        readers.put("compress MODEL", new Reader(model, "compress %s --recipe int8-dynamic --out OUT.onnx"));
        readers.put("compress --data", new Reader(table, "compress " + model + " --recipe int8-static --data %s --out OUT.onnx"));
        readers.put("bench MODEL", new Reader(model, "bench %s -o OUT.json"));
        readers.put("bench --baseline", new Reader(model, "bench " + model + " --baseline %s"));
        readers.put("pack MODEL", new Reader(model, "pack %s --out OUT.vdz"));
        readers.put("unpack FILE.vdz", new Reader(vdz, "unpack %s --out OUT.onnx"));
        readers.put("ensemble MODEL", new Reader(model, "ensemble " + model + " %s --out OUT.onnx"));
        readers.put("report RESULTS", new Reader(results, "report %s -o OUT.html"));
        readers.put("schedule --forecast", new Reader(forecast, "schedule --duration 1h --within 2h --region DE --forecast %s"));
        readers.put("run --forecast", new Reader(forecast, "run --when-green --within 2h --region DE --forecast %s -- true"));
        readers.put("train --data", new Reader(table, "train --arch mlp --data %s --epochs 1 --out OUT.onnx"));
        readers.put("train --model", new Reader(model, "train --model %s --data " + table + " --epochs 1 --out OUT.onnx"));
        readers.put("transfer --backbone", new Reader(model, "transfer --backbone %s --data " + table + " --classes 2 --out OUT.onnx"));
        readers.put("transfer --data", new Reader(table, "transfer --backbone " + model + " --data %s --classes 2 --out OUT.onnx"));
        readers.put("fewshot --backbone", new Reader(model, "fewshot --backbone %s --support " + table + " --shots 1"));
        readers.put("fewshot --support", new Reader(table, "fewshot --backbone " + model + " --support %s --shots 1"));
        readers.put("train --tokenizer", new Reader(tokenizer, "train --arch transformer --data wordnet-nouns-sample --tokenizer %s --epochs 1 --out OUT.onnx"));
        readers.put("optimize MODEL", new Reader(model, "optimize %s --data " + table + " --out OUT.onnx --work OUT.work"));
        readers.put("data FILE", new Reader(table, "data %s"));
        readers.put("optimize --config", new Reader(config, "optimize --config %s --out OUT.onnx --work OUT.work"));
        readers.put("compress --config", new Reader(config, "compress --config %s --recipe int8-dynamic --out OUT.onnx"));
        readers.put("init MODEL", new Reader(model, "init %s --out OUT.yaml"));
        readers.put("compress --inputs FILE.npy", new Reader(npy, "compress " + model
                + " --recipe int8-static --inputs %s --out OUT.onnx"));
        readers.put("compress --inputs FILE.pb", new Reader(tensorProto, "compress " + model
                + " --recipe int8-static --inputs %s --out OUT.onnx"));
        readers.put("bench --inputs FILE.png", new Reader(png, "bench " + model + " --inputs %s -o OUT.json"));
        readers.put("optimize --inputs FILE.wav", new Reader(wav, "optimize " + model
                + " --inputs %s --frame 784 --out OUT.onnx --work OUT.work"));
        return readers;
    }

    private record Reader(Path valid, String template) {
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (Map.Entry<String, Reader> reader : readers().entrySet()) {
            for (Hostile hostile : hostileInputs()) {
                Path input = hostile.make().apply(reader.getValue().valid());
                cases.add(command(reader.getKey() + " reading " + hostile, reader.getValue().template(), input.toString(),
                        input.getFileName().toString()));
            }
        }
        // outputs that are no place to write
        Path hardLink = hardLink(model);
        Path symlink = symlink(model);
        for (String[] writer : new String[][] {
                {"compress", "compress " + model + " --recipe int8-dynamic --out %s", "--out"},
                {"pack", "pack " + model + " --out %s", "--out"},
                {"unpack", "unpack " + vdz + " --out %s", "--out"},
                {"ensemble", "ensemble " + model + " " + model + " --out %s", "--out"},
                {"bench", "bench " + model + " -o %s", "-o"},
                {"report", "report " + results + " -o %s", "-o"},
                {"train", "train --model " + model + " --data " + table + " --epochs 1 --out %s", "--out"},
                {"transfer", "transfer --backbone " + model + " --data " + table + " --classes 2 --out %s", "--out"},
                {"optimize", "optimize " + model + " --data " + table + " --work OUT.work --out %s", "--out"},
                {"init", "init " + model + " --out %s", "--out"}}) {
            String input = writer[0].equals("unpack") ? vdz.toString() : writer[0].equals("report") ? results.toString()
                    : model.toString();
            cases.add(command(writer[0] + " writing to /dev/null", writer[1], "/dev/null", "/dev/null"));
            cases.add(command(writer[0] + " writing over its input", writer[1], input, writer[2]));
            cases.add(command(writer[0] + " writing over its input by a symlink", writer[1],
                    writer[0].equals("unpack") ? symlink(vdz).toString() : writer[0].equals("report")
                            ? symlink(results).toString() : symlink.toString(), writer[2]));
            cases.add(command(writer[0] + " writing over its input by a hard link", writer[1],
                    writer[0].equals("unpack") ? hardLink(vdz).toString() : writer[0].equals("report")
                            ? hardLink(results).toString() : hardLink.toString(), writer[2]));
        }
        return cases.stream();
    }

    /** A case: {@code template} with {@code %s} as the hostile path and each {@code OUT} a fresh output path. */
    private static Case command(String name, String template, String hostile, String names) {
        Path out = Path.of(dir.toString(), "out", "run" + OUTPUTS.incrementAndGet());
        List<String> args = new ArrayList<>();
        for (String word : template.split(" ")) {
            args.add(word.equals("%s") ? hostile : word.replace("OUT", out.toString()));
        }
        Path output = template.contains("OUT.") ? Path.of(template.substring(template.indexOf("OUT."))
                .split(" ")[0].replace("OUT", out.toString())) : null;
        return new Case(name, args, output, names);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedOnOneLineAndLeavesNoTrace(Case c) throws Exception {
        Files.createDirectories(dir.resolve("out"));
        Map<Path, String> before = checksums();
        CliRun run = Assertions.assertTimeoutPreemptively(LIMIT, () -> CliRun.of(c.args().toArray(String[]::new)),
                () -> "verdant " + String.join(" ", c.args()) + " still running after " + LIMIT);
        String err = run.err().strip();
        assertThat(run.exitCode()).as("exit code of verdant %s; stderr: %s", String.join(" ", c.args()), err)
                .isEqualTo(ExitCode.BAD_INPUT);
        assertThat(err).as("stderr").doesNotContain("\n").doesNotContain("\tat ").doesNotContain("internal error")
                .contains(c.names());
        if (c.output() != null) {
            assertThat(c.output()).as("output").doesNotExist();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.map(Path::toString)).as("files left").noneMatch(name -> name.endsWith(".part"));
        }
        assertThat(checksums()).as("inputs").isEqualTo(before);
    }

    /** SHA-256 of every regular file of the corpus (links, folders, FIFOs and devices are not read). */
    private static Map<Path, String> checksums() throws IOException {
        Map<Path, String> sums = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(corpus)) {
            for (Path file : files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                sums.put(file, sha256(Files.readAllBytes(file)));
            }
        }
        return sums;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // the hostile files, each beside the valid one it is made from, named after it so the message can be checked

    private static Path write(Path valid, String what, byte[] content) {
        try {
            return Files.write(corpus.resolve(what + "-" + valid.getFileName()), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The valid file cut inside its last line or record, so it is never a shorter valid file. */
    private static byte[] truncated(Path valid) {
        try {
            byte[] bytes = Files.readAllBytes(valid);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int cut = valid.toString().endsWith(".csv") ? text.stripTrailing().lastIndexOf(',') + 1 : bytes.length / 2;
            return Arrays.copyOf(bytes, cut);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes(Path valid) {
        byte[] bytes = new byte[512];
        new Random(valid.getFileName().toString().hashCode()).nextBytes(bytes);
        return bytes;
    }

    private static Path folder(Path valid) {
        try {
            return Files.createDirectories(corpus.resolve("folder-" + valid.getFileName()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path fifo(Path valid) {
        Path fifo = corpus.resolve("fifo-" + valid.getFileName());
        if (!Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)) {
            assumeTrue(shell("mkfifo '" + fifo + "'"), "mkfifo is available");
        }
        return fifo;
    }

    private static Path symlinkLoop(Path valid) {
        Path a = corpus.resolve("loop-" + valid.getFileName());
        Path b = corpus.resolve("loop-back-" + valid.getFileName());
        try {
            if (!Files.exists(a, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(a, b);
                Files.createSymbolicLink(b, a);
            }
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The valid file under a name whose bytes are not UTF-8 (0xFF 0xFE), as the shell makes it, given on the command
     * line as the JVM decodes such an argument.
     */
    private static Path nonUtf8Name(Path valid) {
        Path folder = corpus.resolve("latin1-" + valid.getFileName());
        try {
            Files.createDirectories(folder);
            assumeTrue(shell("cp '" + valid + "' '" + folder + "'/\"$(printf '\\377\\376')-" + valid.getFileName()
                    + "\""), "the shell can make a file name that is not UTF-8");
            try (Stream<Path> files = Files.list(folder)) {
                return Path.of(files.findFirst().orElseThrow().toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path symlink(Path target) {
        return link(target, false);
    }

    private static Path hardLink(Path target) {
        return link(target, true);
    }

    /** A symbolic or hard link to {@code target} beside it, made once. */
    private static Path link(Path target, boolean hard) {
        Path link = corpus.resolve((hard ? "hardlink-" : "symlink-") + target.getFileName());
        try {
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                return link;
            }
            return hard ? Files.createLink(link, target) : Files.createSymbolicLink(link, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean shell(String command) {
        try {
            return new ProcessBuilder("sh", "-c", command).inheritIO().start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
