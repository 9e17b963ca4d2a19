package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class EstimateCommandTest {

    @Test
    void reproducesPattersonsGpt3FootprintAsJson() throws Exception {
        CliRun run = CliRun.of("estimate", "--processor", "V100", "--count", "10000", "--days", "14.8",
                "--power-watts", "330", "--pue", "1.1", "--intensity", "429", "--offset-percent", "0", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode node = new ObjectMapper().readTree(run.out());
        assertThat(node.get("energy_mwh").asDouble()).isCloseTo(14.8 * 24 * 10_000 * 330 * 1.1 / 1e6, within(1e-6));
        assertThat(node.get("energy_mwh").asDouble()).isCloseTo(1_287, within(7.0));   // paper: 1,287 MWh
        assertThat(node.get("tco2e").asDouble()).isCloseTo(552, within(3.0));          // paper: 552 t
        assertThat(node.get("tco2e_net").asDouble()).isEqualTo(node.get("tco2e").asDouble());
        assertThat(node.get("method").asText()).isEqualTo("estimated");
    }

    @Test
    void tableFiguresAndRegionsFillWhatIsNotGiven() throws Exception {
        CliRun run = CliRun.of("estimate", "--processor", "A100", "--count", "8", "--hours", "24",
                "--region", "gcp:europe-west1", "--offset-percent", "50", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode node = new ObjectMapper().readTree(run.out());
        assertThat(node.get("power_watts").asDouble()).isEqualTo(400.0);
        assertThat(node.get("pue").asDouble()).isEqualTo(1.10);
        double mwh = 24 * 8 * 400 * 1.10 / 1e6;
        assertThat(node.get("energy_mwh").asDouble()).isCloseTo(mwh, within(1e-9));
        assertThat(node.get("tco2e").asDouble()).isCloseTo(mwh * node.get("intensity_g_per_kwh").asDouble() / 1000, within(1e-9));
        assertThat(node.get("tco2e_net").asDouble()).isCloseTo(node.get("tco2e").asDouble() / 2, within(1e-12));
        assertThat(node.get("assumptions").toString()).contains("NVIDIA A100 datasheet").contains("Google");
    }

    @Test
    void printsATableWithItsAssumptionsByDefault() {
        CliRun run = CliRun.of("estimate", "--processor", "tpu v3", "--count", "512", "--days", "1", "--country", "US");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("MWh").contains("tCO2e gross").contains("Jouppi").contains("assumptions");
    }

    @Test
    void aSmallJobReadsInKilowattHoursAndKilograms() {
        // 8 x 330 W x 48 h x PUE 1.1 = 139.4 kWh; x 125 g/kWh = 17.4 kg
        CliRun run = CliRun.of("estimate", "--processor", "V100", "--count", "8", "--days", "2", "--pue", "1.1",
                "--intensity", "125", "--offset-percent", "50");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String figures = run.out().substring(0, run.out().indexOf("  method:"));
        assertThat(figures).contains("energy   139 kWh").contains("CO2e     17.4 kgCO2e gross")
                .contains("8.71 kgCO2e net").doesNotContain("MWh").doesNotContain(" t ");
    }

    @Test
    void assumptionsGiveASourceAndAYearButNoVerificationNote() {
        for (String processor : List.of("V100", "A10", "TPUv4", "H100")) {
            CliRun run = CliRun.of("estimate", "--processor", processor, "--count", "8", "--days", "2",
                    "--region", "azure:italynorth");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).as(processor).doesNotContainIgnoringCase("unverified")
                    .doesNotContain("checked 20").doesNotContain("confirmed 20").doesNotContainPattern("20\\d\\d-\\d\\d-\\d\\d");
        }
        assertThat(CliRun.of("estimate", "--processor", "V100", "--count", "8", "--days", "2").out())
                .contains("Table 4 (GPT-3 on V100), 2021)");
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        assertThat(CliRun.of("estimate", "--processor", "Z9000", "--count", "1", "--days", "1").err())
                .contains("unknown processor 'Z9000'").contains("V100");
        assertThat(CliRun.of("estimate", "--processor", "V100", "--count", "-4", "--days", "1").exitCode()).isEqualTo(2);
        CliRun days = CliRun.of("estimate", "--processor", "V100", "--count", "4", "--days", "soon");
        assertThat(days.exitCode()).isEqualTo(2);
        assertThat(days.err()).contains("--days must be a number, got 'soon'");
        assertThat(CliRun.of("estimate", "--processor", "V100", "--count", "4").err()).contains("exactly one of --days or --hours");
        assertThat(CliRun.of("estimate", "--processor", "V100", "--count", "4", "--days", "1", "--country", "XX").exitCode())
                .isEqualTo(2);
        assertThat(CliRun.of("estimate", "--processor", "V100", "--count", "4", "--days", "1", "--offset-percent", "120")
                .err()).contains("between 0 and 100");
    }
}
