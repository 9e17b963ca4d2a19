package dev.verdant.spark;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One ONNX Runtime session per model per executor JVM, opened by the first task that needs it and reused by every
 * later task (sessions run concurrent batches safely). This is the one piece of JVM-wide state in Verdant, and it
 * has to be: an executor outlives the tasks Spark gives it, and opening a session per task would cost more than
 * many tasks take. The sessions close when the executor JVM exits; a text model's tokenizer is written to a file
 * once per executor too.
 */
final class ExecutorSessions {

    private static final Map<String, OrtRunner> SESSIONS = new ConcurrentHashMap<>();
    private static final Map<String, Path> TOKENIZERS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> SESSIONS.values().forEach(OrtRunner::close),
                "verdant-spark-sessions"));
    }

    private ExecutorSessions() {
    }

    /** The session of the model with these bytes at {@code threads} intra-op threads, opened once. */
    static OrtRunner runner(byte[] model, int threads) {
        return SESSIONS.computeIfAbsent(digest(model) + "/" + threads, key -> {
            try {
                return OrtRunner.open(ModelProto.parseFrom(model), SessionSpec.threads(threads));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("the model sent to the executor is not ONNX: " + e.getMessage(), e);
            }
        });
    }

    /**
     * The tokenizer with these bytes as a file ({@code tokenizer.json}, which the native tokenizer reads from disk),
     * written once per executor into a temporary folder removed when the executor exits.
     */
    static Path tokenizerFile(byte[] tokenizer) {
        return TOKENIZERS.computeIfAbsent(digest(tokenizer), key -> {
            try {
                Path folder = Files.createTempDirectory("verdant-tokenizer");
                Path file = folder.resolve("tokenizer.json");
                Files.write(file, tokenizer);
                file.toFile().deleteOnExit();
                folder.toFile().deleteOnExit();
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the tokenizer on the executor: " + e.getMessage(), e);
            }
        });
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
