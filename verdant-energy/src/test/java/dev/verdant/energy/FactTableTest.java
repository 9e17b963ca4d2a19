package dev.verdant.energy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.energy.carbon.CarbonIntensityTable;
import dev.verdant.energy.meter.CpuPowerTable;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FactTableTest {

    @Test
    void aVerificationNoteMovesOutOfTheSourceAndStaysInTheRow() throws Exception {
        FactTable table = FactTable.parse("test.csv", new BufferedReader(new StringReader("""
                name,source,year
                a,"Paper, Table 4 (GPT-3 on V100); unverified 2026-11-23 (paper found, its table text not)",2021
                b,Ember yearly data (ember-energy.org); 2023 value checked 2026-12-04 in the grapher table,2023
                c,"Azure region Italy North (Microsoft Learn); country confirmed 2026-11-23, the city (Milan) unverified",2024
                d,Vendor datasheet; also the launch review,2020
                """)));
        assertThat(table.rows()).extracting(row -> row.get("source")).containsExactly(
                "Paper, Table 4 (GPT-3 on V100)", "Ember yearly data (ember-energy.org)",
                "Azure region Italy North (Microsoft Learn)", "Vendor datasheet; also the launch review");
        assertThat(table.rows()).extracting(row -> row.get("verification")).containsExactly(
                "unverified 2026-11-23 (paper found, its table text not)",
                "2023 value checked 2026-12-04 in the grapher table",
                "country confirmed 2026-11-23, the city (Milan) unverified", "");
    }

    @Test
    void noShippedSourceCarriesAVerificationNote() {
        List<FactTable> tables = List.of(
                FactTable.load(CpuPowerTable.class, "cpu-power.csv"),
                FactTable.load(CpuPowerTable.class, "accelerator-power.csv"),
                FactTable.load(CarbonIntensityTable.class, "country-intensity.csv"),
                FactTable.load(CarbonIntensityTable.class, "grid-intensity.csv"),
                FactTable.load(CarbonIntensityTable.class, "cloud-regions.csv"),
                FactTable.load(CarbonIntensityTable.class, "pue.csv"));
        int notes = 0;
        for (FactTable table : tables) {
            for (Map<String, String> row : table.rows()) {
                assertThat(row.get("source")).as(table.resource())
                        .doesNotContainPattern("\\d{4}-\\d\\d-\\d\\d|(?i)unverified|checked|confirmed|not readable");
                notes += row.get("verification").isEmpty() ? 0 : 1;
            }
        }
        assertThat(notes).as("the notes stay in the data").isGreaterThan(150);
    }
}
