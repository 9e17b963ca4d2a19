package dev.verdant.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** ONNX Runtime's natives load from Verdant's cache, not from a fresh temporary folder per run. */
class OrtNativesTest {

    @Test
    void theNativesAreExtractedOnceIntoTheCacheAndOnnxRuntimeLoadsThem() {
        assertThat(OrtNatives.platform()).isNotEmpty();
        Path folder = OrtNatives.extractedFolder().orElseThrow();
        assertThat(folder.resolve(System.mapLibraryName("onnxruntime"))).isRegularFile();
        assertThat(folder.resolve(System.mapLibraryName("onnxruntime4j_jni"))).isRegularFile();
        assertThat(OrtNatives.extractedFolder()).contains(folder);   // a second call finds them in place
        assertThat(OrtNatives.environment().getVersion()).isNotBlank();
        assertThat(System.getProperty(OrtNatives.NATIVE_PATH_PROPERTY)).isEqualTo(folder.toString());
    }
}
