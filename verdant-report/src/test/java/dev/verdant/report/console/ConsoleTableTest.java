package dev.verdant.report.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.report.console.ConsoleTable.Column;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleTableTest {

    @Test
    void columnsTakeTheWidestOfCellHeaderAndMinimumNumbersRightTextLeft() {
        ConsoleTable table = new ConsoleTable(List.of(Column.left("model").atLeast(5), Column.right("ms").atLeast(6),
                Column.left("note").after("  ")), " ");
        table.row("minilm-int8", "1.500", "fast");
        table.row("x", "12.250", "");

        assertThat(table.lines()).containsExactly(
                "model           ms  note",
                "minilm-int8  1.500  fast",
                "x           12.250  ");
        assertThat(table.width(0)).isEqualTo("minilm-int8".length());
        assertThat(table.width(1)).isEqualTo(6);
    }

    @Test
    void aRowMustFillEveryColumn() {
        ConsoleTable table = new ConsoleTable(List.of(Column.left("a"), Column.left("b")), " ");
        assertThatThrownBy(() -> table.row("only one")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 columns");
    }
}
