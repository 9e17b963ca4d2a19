package dev.verdant.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NearestNameTest {

    @Test
    void suggestsTheClosestNameAndNothingUnrelated() {
        List<String> names = List.of("calibration", "check", "sequence-length", "tolerance");
        assertThat(NearestName.of("tolerence", names)).contains("tolerance");
        assertThat(NearestName.of("CHECK", names)).contains("check");
        assertThat(NearestName.of("zzzzzzzzzzzz", names)).isEmpty();
        assertThat(NearestName.suggestion("chek", names)).isEqualTo("; did you mean 'check'?");
        assertThat(NearestName.suggestion("zzzzzzzzzzzz", names)).startsWith("; valid: calibration, check");
        assertThat(NearestName.distance("kitten", "sitting")).isEqualTo(3);
    }
}
