package dev.verdant.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CloseOnceTest {

    @Test
    void freesOnTheFirstCloseOnlyAndRefusesUseAfterIt() {
        CloseOnce state = new CloseOnce("this thing is closed");
        AtomicInteger frees = new AtomicInteger();
        assertThatCode(state::ensureOpen).doesNotThrowAnyException();

        state.close(frees::incrementAndGet);
        state.close(frees::incrementAndGet);

        assertThat(frees).hasValue(1);
        assertThatThrownBy(state::ensureOpen).isInstanceOf(IllegalStateException.class)
                .hasMessage("this thing is closed");
    }

    @Test
    void aFreeThatFailsStillLeavesItClosed() {
        CloseOnce state = new CloseOnce("closed");
        assertThatThrownBy(() -> state.close(() -> {
            throw new IllegalStateException("cannot free");
        })).hasMessage("cannot free");

        AtomicInteger frees = new AtomicInteger();
        state.close(frees::incrementAndGet);
        assertThat(frees).hasValue(0);
        assertThatThrownBy(state::ensureOpen).hasMessage("closed");
    }
}
