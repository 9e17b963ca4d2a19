package dev.verdant.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSourceTest {

    @TempDir
    Path temp;

    @Test
    void readsFeaturesAndTheNamedLabelColumn() throws IOException {
        Path file = temp.resolve("flowers.csv");
        Files.writeString(file, """
                sepal_length,sepal_width,species,petal_length
                5.1,3.5,setosa,1.4
                7.0,3.2,versicolor,4.7

                6.3,3.3,virginica,6.0
                4.9,3.0,setosa,1.4
                """);
        TabularDataset table = Datasets.resolveTable(file + "#species").loadAll();

        assertThat(table.featureNames()).containsExactly("sepal_length", "sepal_width", "petal_length");
        assertThat(table.classNames()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(table.labels()).containsExactly(0, 1, 2, 0);
        assertThat(table.sample(1)).containsExactly(7.0f, 3.2f, 4.7f);
        assertThat(table.sampleShape()).containsExactly(3);
        assertThat(table.name()).isEqualTo("flowers.csv");
    }

    @Test
    void defaultLabelColumnIsLabelThenTheLastColumn() throws IOException {
        Path labelled = temp.resolve("a.csv");
        Files.writeString(labelled, "x,Label,z\n1,b,2\n3,a,4\n");
        TabularDataset a = Datasets.resolveTable(labelled.toString()).loadAll();
        assertThat(a.featureNames()).containsExactly("x", "z");
        assertThat(a.labels()).containsExactly(1, 0);

        Path last = temp.resolve("b.csv");
        Files.writeString(last, "x,y,kind\n1,2,10\n3,4,9\n");
        TabularDataset b = Datasets.resolveTable(last.toString()).loadAll();
        assertThat(b.featureNames()).containsExactly("x", "y");
        assertThat(b.classNames()).containsExactly("9", "10");
    }

    @Test
    void semicolonsQuotesAndGzipAreUnderstood() throws IOException {
        Path file = temp.resolve("eu.csv.gz");
        String csv = "\"width; cm\";\"class\"\n1.5;\"big \"\"one\"\"\"\n-2e-1;small\n";
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(csv.getBytes(StandardCharsets.UTF_8));
        }
        TabularDataset table = Datasets.resolveTable(file.toString()).loadAll();
        assertThat(table.featureNames()).containsExactly("width; cm");
        assertThat(table.classNames()).containsExactly("big \"one\"", "small");
        assertThat(table.features()).containsExactly(1.5f, -0.2f);
    }

    @Test
    void badCellsAreReportedWithLineAndColumn() throws IOException {
        Path file = temp.resolve("bad.csv");
        Files.writeString(file, "x,y,label\n1,2,a\n1,two,b\n");
        assertThatThrownBy(() -> Datasets.resolveTable(file.toString()).loadAll())
                .isInstanceOf(DataFormatException.class)
                .hasMessage(file + " line 3, column 'y': 'two' is not a finite number (feature columns must be numeric)");

        Files.writeString(file, "x,y,label\n1,2\n");
        assertThatThrownBy(() -> Datasets.resolveTable(file.toString()).loadAll())
                .hasMessage(file + " line 2: 2 fields, but the header has 3");

        Files.writeString(file, "x,y,label\n1,,a\n");
        assertThatThrownBy(() -> Datasets.resolveTable(file.toString()).loadAll())
                .hasMessageContaining("column 'y': the value is missing");

        Files.writeString(file, "x,y,label\n1,NaN,a\n");
        assertThatThrownBy(() -> Datasets.resolveTable(file.toString()).loadAll()).hasMessageContaining("'NaN' is not a finite");

        Files.writeString(file, "x,y,label\n");
        assertThatThrownBy(() -> Datasets.resolveTable(file.toString()).loadAll()).hasMessageContaining("no rows");

        Files.writeString(file, "");
        assertThatThrownBy(() -> Datasets.resolveTable(file.toString()).loadAll()).hasMessageContaining("is empty");
    }

    @Test
    void unknownLabelColumnListsTheColumns() throws IOException {
        Path file = temp.resolve("t.csv");
        Files.writeString(file, "x,y\n1,a\n");
        assertThatThrownBy(() -> Datasets.resolveTable(file + "#species").loadAll())
                .hasMessage(file + " has no column 'species'; its columns are 'x', 'y'");
    }
}
