package dev.verdant.energy.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.io.CsvReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** emissions.csv takes a row whole or not at all, and never a formula a spreadsheet would run. */
class CsvAppendTest {

    @TempDir
    Path dir;

    @Test
    void aDiskThatFillsMidRowLeavesTheFileAsItWas() throws IOException {
        Path file = dir.resolve(CsvSink.FILE_NAME);
        CsvSink sink = new CsvSink(dir);
        sink.onReport(SinksTest.report("first"));
        byte[] before = Files.readAllBytes(file);
        try (FileChannel real = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                FileChannel full = new FillsAfter(real, 20)) {
            assertThatThrownBy(() -> CsvSink.appendWhole(full, "a,row,longer,than,twenty,bytes\n"
                    .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class)
                    .hasMessage("No space left on device");
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        sink.onReport(SinksTest.report("second"));
        java.util.List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(CsvReader.commaSeparated().fields(line))
                .hasSize(CsvSink.CODECARBON_COLUMNS.size()));
    }

    @Test
    void fieldsASpreadsheetWouldRunAsAFormulaAreWrittenAsText() {
        assertThat(CsvSink.text("=HYPERLINK(\"http://x\",\"y\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        assertThat(CsvSink.text("+1")).isEqualTo("'+1");
        assertThat(CsvSink.text("-cmd")).isEqualTo("'-cmd");
        assertThat(CsvSink.text("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvSink.text("\t=1")).isEqualTo("'\t=1");
        assertThat(CsvSink.text("\n=1")).isEqualTo("' =1");
        assertThat(CsvSink.text("my-project")).isEqualTo("my-project");
        assertThat(CsvSink.text("")).isEmpty();
    }

    /** A channel onto a real file that reports a full disk once {@code room} more bytes have been written. */
    private static final class FillsAfter extends FileChannel {
        private final FileChannel real;
        private long room;

        FillsAfter(FileChannel real, long room) {
            this.real = real;
            this.room = room;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (room <= 0) {
                throw new IOException("No space left on device");
            }
            ByteBuffer part = src.slice();
            part.limit((int) Math.min(part.remaining(), room));
            int written = real.write(part);
            src.position(src.position() + written);
            room -= written;
            return written;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            real.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void implCloseChannel() {
            // the real channel is closed by its own try-with-resources
        }
    }
}
