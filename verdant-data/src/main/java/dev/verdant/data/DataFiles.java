package dev.verdant.data;

import dev.verdant.io.InputFiles;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Opens dataset files, gzip or not (told by the magic bytes, not the name), and turns I/O failures into one line. */
final class DataFiles {

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private DataFiles() {
    }

    /** A buffered stream of the file's content, decompressed when the file starts with the gzip magic bytes. */
    static InputStream open(Path file) {
        requireReadableFile(file);
        try {
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1) {
                return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            }
            return raw;
        } catch (IOException e) {
            throw failure(file, e);
        }
    }

    /** A UTF-8 reader of the (possibly gzipped) file; malformed bytes become U+FFFD rather than failing. */
    static BufferedReader reader(Path file) {
        return new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8), 1 << 16);
    }

    /** Fails with one line unless {@code file} is an existing, readable, regular file. */
    static void requireReadableFile(Path file) {
        InputFiles.problem(file, "a data file").ifPresent(why -> {
            throw new DataFormatException(why);
        });
    }

    /** The one-line error for an I/O failure while reading {@code file}. */
    static DataFormatException failure(Path file, IOException e) {
        if (e instanceof EOFException) {
            return new DataFormatException(file + " is truncated: it ends in the middle of its data", e);
        }
        if (e instanceof ZipException) {
            return new DataFormatException(file + " is a corrupt gzip file: " + e.getMessage(), e);
        }
        if (e instanceof NoSuchFileException) {
            return new DataFormatException("no such file: " + file, e);
        }
        if (e instanceof AccessDeniedException) {
            return new DataFormatException("cannot read " + file + ": permission denied", e);
        }
        return new DataFormatException("cannot read " + file + ": " + e.getMessage(), e);
    }

    /** SHA-256 over each file's name, a zero byte, and its bytes, in order; hex. */
    static String sha256(List<Path> files) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        for (Path file : files) {
            requireReadableFile(file);
            digest.update(String.valueOf(file.getFileName()).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            try (InputStream in = Files.newInputStream(file)) {
                int read;
                while ((read = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, read);
                }
            } catch (IOException e) {
                throw failure(file, e);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The file name without a trailing {@code .gz}, lower-cased, for choosing a loader by extension. */
    static String baseName(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }
}
