package dev.verdant.energy.carbon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CarbonIntensityTableTest {

    private final CarbonIntensityTable table = CarbonIntensityTable.builtIn();

    @Test
    void aCountryResolvesByAlpha2Alpha3AndName() {
        GridIntensity france = table.resolve("FR");
        assertThat(table.resolve("FRA")).isEqualTo(france);
        assertThat(table.resolve("fra")).isEqualTo(france);
        assertThat(table.resolve("France")).isEqualTo(france);
        assertThat(france.countryIso3()).isEqualTo("FRA");
        assertThat(france.intensity().gramsPerKilowattHour()).isLessThan(table.resolve("DE").intensity().gramsPerKilowattHour());
        assertThat(france.source()).contains("Ember");
        assertThat(france.year()).isBetween(2020, 2030);
    }

    @Test
    void subNationalGridsAndCloudRegionsResolveToTheirOwnFigures() {
        assertThat(table.resolve("CA-QC").intensity().gramsPerKilowattHour())
                .isLessThan(table.resolve("CA-AB").intensity().gramsPerKilowattHour());
        assertThat(table.resolve("us-va").countryIso3()).isEqualTo("USA");
        assertThat(table.resolve("US-NW-BPAT").intensity().gramsPerKilowattHour())
                .isLessThan(table.resolve("US-MIDW-MISO").intensity().gramsPerKilowattHour());
        assertThat(table.resolve("us-tex-erco").countryIso3()).isEqualTo("USA");
        GridIntensity virginia = table.resolve("aws:us-east-1");
        assertThat(virginia.intensity()).isEqualTo(table.resolve("US-VA").intensity());
        assertThat(virginia.source()).contains("AWS Regions");
        assertThat(table.resolve("gcp:europe-west9").intensity().gramsPerKilowattHour()).isEqualTo(16.0);
        assertThat(table.resolve("europe-west9")).isEqualTo(table.resolve("gcp:europe-west9")); // unambiguous bare name
        assertThat(table.resolve("azure/westeurope").countryIso3()).isEqualTo("NLD");
    }

    @Test
    void californiaCloudRegionsOutsideLosAngelesDrawOnCaisoNotTheLosAngelesFigure() {
        GridIntensity caiso = table.resolve("US-CAL-CISO");
        assertThat(caiso.intensity()).isNotEqualTo(table.resolve("US-CA").intensity());
        for (String region : List.of("aws:us-west-1", "azure:westus")) {
            GridIntensity grid = table.resolve(region);
            assertThat(grid.intensity()).as(region).isEqualTo(caiso.intensity());
            assertThat(grid.source()).as(region).contains("Electricity Maps").contains("CAISO");
        }
    }

    @Test
    void theLargestEmittersCarryTheirLatestEmberYear() {
        for (String country : List.of("AU", "CN", "IN", "BR")) {
            GridIntensity grid = table.resolve(country);
            assertThat(grid.year()).as(country).isEqualTo(2023);
            assertThat(grid.source()).as(country).contains("Ember");
        }
    }

    @Test
    void everyFigureHasASourceAndAYear() {
        assertThat(table.grids()).hasSizeGreaterThan(100);
        for (GridIntensity grid : table.grids()) {
            assertThat(grid.source()).isNotBlank();
            assertThat(grid.year()).isBetween(2015, 2030);
        }
        assertThat(table.cloudRegions()).extracting(CarbonIntensityTable.CloudRegion::provider)
                .contains("aws", "gcp", "azure");
        assertThat(table.world().key()).isEqualTo("WLD");
    }

    @Test
    void anUnknownLocationNamesTheFormsThatWork() {
        assertThatThrownBy(() -> table.resolve("Atlantis"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown country or region 'Atlantis'")
                .hasMessageContaining("aws:us-east-1");
        assertThatThrownBy(() -> table.resolve("XX")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cloudProvidersHavePublishedPues() {
        PueTable pue = PueTable.builtIn();
        assertThat(pue.local().pue()).isEqualTo(1.0);
        assertThat(pue.forProvider("GCP").orElseThrow().pue()).isBetween(1.0, 1.3);
        assertThat(pue.forProvider("aws")).isPresent();
        assertThat(pue.forProvider("azure")).isPresent();
        assertThatThrownBy(() -> new PueTable.Pue("x", 0.9, "s", 2024)).isInstanceOf(IllegalArgumentException.class);
    }
}
