package dev.verdant.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CacheFolderTest {

    @Test
    void eachKindHasItsOwnFolderUnderVerdantsCache() {
        Path models = CacheFolder.of("models");
        Path data = CacheFolder.of("data");
        assertThat(models.getFileName()).hasToString("models");
        assertThat(data.getParent()).isEqualTo(models.getParent());
        String verdantCache = System.getenv("VERDANT_CACHE");
        if (verdantCache != null && !verdantCache.isBlank()) {
            assertThat(data).isEqualTo(Path.of(verdantCache, "data"));
        } else {
            // under $XDG_CACHE_HOME or ~/.cache, in a folder of Verdant's own
            assertThat(data.getParent().getFileName()).hasToString("verdant");
        }
    }
}
