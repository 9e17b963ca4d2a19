package dev.verdant.spark;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.stream.LongStream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A plain CPU-bound Spark job that knows nothing of Verdant, for benchmarks: each task hashes a 1 KB buffer with
 * SHA-256, chaining the digests, {@code rounds} times (work the JIT cannot skip).
 */
public final class CpuBoundJob {

    private CpuBoundJob() {
    }

    /** Runs {@code tasks} tasks of {@code rounds} hashes each and returns a checksum. */
    public static long run(JavaSparkContext sc, int tasks, int rounds) {
        return sc.parallelize(LongStream.range(0, tasks).boxed().toList(), tasks).map(seed -> {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            byte[] buffer = new byte[1024];
            buffer[0] = (byte) (long) seed;
            for (int i = 0; i < rounds; i++) {
                byte[] digest = sha.digest(buffer);
                System.arraycopy(digest, 0, buffer, (i % 31) * 32, 32);
            }
            return (long) buffer[7];
        }).reduce(Long::sum);
    }
}
